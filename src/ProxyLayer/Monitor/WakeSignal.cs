namespace ProxyLayer.Monitor;

/// <summary>
/// Lets sleeping check loops be woken early, so a configuration change (a shorter interval, a new pair) or a starved
/// writer hostgroup takes effect now rather than at the end of the current sleep.
/// </summary>
internal sealed class WakeSignal
{
    // Continuations run on the thread pool: whoever wakes the loops (a config load, a waiting statement) never runs them.
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns after <paramref name="delay"/>, on <see cref="Wake"/>, or throws on cancellation.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var woken = Volatile.Read(ref _next).Task;
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delayed = Task.Delay(delay, time, stopDelay.Token);
        await Task.WhenAny(delayed, woken).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
