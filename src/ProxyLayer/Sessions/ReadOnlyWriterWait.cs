using System.Diagnostics;
using ProxyLayer.Backends;

namespace ProxyLayer.Sessions;

/// <summary>
/// A statement's wait for a writable server after the one it reached answered "read-only" (ERR 1290): the
/// hostgroup is reported as waiting (so the monitor checks read_only often) and the statement is retried every
/// 50 ms until the deadline.
/// </summary>
internal sealed class ReadOnlyWriterWait : IDisposable
{
    private const int RetryDelayMs = 50;
    private long _started = -1;
    private HostgroupDemand.Waiter? _waiter;

    /// <summary>Waits before the next try; false once <paramref name="budgetMs"/> since the first read-only answer has passed.</summary>
    public async ValueTask<bool> WaitAsync(HostgroupDemand demand, int hostgroup, int budgetMs, CancellationToken cancellationToken)
    {
        if (_started < 0)
        {
            _started = Stopwatch.GetTimestamp();
            _waiter = demand.BeginWaiting(hostgroup);
        }
        if (Stopwatch.GetElapsedTime(_started).TotalMilliseconds >= budgetMs)
            return false;
        await Task.Delay(RetryDelayMs, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => _waiter?.Dispose();
}
