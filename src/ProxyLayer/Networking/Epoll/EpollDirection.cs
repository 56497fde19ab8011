using System.Threading.Tasks.Sources;

namespace ProxyLayer.Networking.Epoll;

/// <summary>
/// One direction (reading or writing) of an <see cref="EpollSocketStream"/>: a count of the loop's readiness events
/// and at most one caller waiting for the next one. A caller notes the count before a system call; when the call
/// finds nothing to do (EAGAIN, or a read shorter than its buffer) it records that count as <see cref="DrainedAt"/>,
/// and waits only while no event came after it. So no readiness is lost between the call and the wait, and no
/// system call is made just to learn that there is nothing yet.
/// </summary>
internal sealed class EpollDirection : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core; // continuations run on the thread that signals
    private CancellationTokenRegistration _cancellation;
    private int _events;
    private int _waiting;

    public EpollDirection(int drainedAt) => DrainedAt = drainedAt;

    /// <summary>The event count noted before the last call that found nothing; only the owner's single caller writes it.</summary>
    public int DrainedAt { get; set; }

    public int Events => Volatile.Read(ref _events);

    /// <summary>An event came since the last call that found nothing: a call may now succeed.</summary>
    public bool MaybeReady => Volatile.Read(ref _events) != DrainedAt;

    /// <summary>Completes at the next event after <see cref="DrainedAt"/>, at once if one came already.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        _core.Reset();
        Interlocked.Exchange(ref _waiting, 1);
        if (MaybeReady && Interlocked.Exchange(ref _waiting, 0) == 1)
            return ValueTask.CompletedTask;
        // Otherwise the signaller owns the wait (or will) and completes it.
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((EpollDirection)state!).Cancel(token), this);
        return new ValueTask(this, _core.Version);
    }

    /// <summary>The loop saw readiness (or the socket closed): counts it and wakes the waiter, on this thread.</summary>
    public void Signal()
    {
        Interlocked.Increment(ref _events);
        if (Volatile.Read(ref _waiting) == 1 && Interlocked.Exchange(ref _waiting, 0) == 1)
            _core.SetResult(true);
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
            _core.SetException(new OperationCanceledException(token));
    }

    void IValueTaskSource.GetResult(short token)
    {
        _cancellation.Dispose();
        _cancellation = default;
        _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
