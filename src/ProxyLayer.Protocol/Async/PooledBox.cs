using System.Threading.Tasks.Sources;

namespace ProxyLayer.Protocol.Async;

/// <summary>
/// The completion of one run of a pooled async method: a reusable <see cref="IValueTaskSource{TResult}"/> that goes
/// back to its pool once its result has been read.
/// </summary>
public abstract class PooledBox<TResult> : IValueTaskSource<TResult>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<TResult> _completion;

    public short Version => _completion.Version;

    public void SetResult(TResult result) => _completion.SetResult(result);

    public void SetException(Exception exception) => _completion.SetException(exception);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    public TResult GetResult(short token)
    {
        try
        {
            return _completion.GetResult(token);
        }
        finally
        {
            _completion.Reset();
            Recycle();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <summary>Clears what the run held and offers the box to its pool.</summary>
    protected abstract void Recycle();
}
