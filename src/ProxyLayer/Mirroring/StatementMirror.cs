using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Stats;

namespace ProxyLayer.Mirroring;

/// <summary>
/// Runs copies of statements on mirror hostgroups (the rules' <c>mirror_hostgroup</c> / <c>mirror_flagOUT</c>, the
/// <c>mirror=N</c> annotation) off the clients' path: a session only queues a request and never waits for it. At
/// most <c>mysql-mirror_max_concurrency</c> copies run at once; up to <c>mysql-mirror_max_queue_length</c> wait;
/// beyond that a copy is dropped and counted, as in ProxySQL. Results are discarded; the copies show in the query
/// digests under the mirror hostgroup.
/// </summary>
internal sealed partial class StatementMirror : IAsyncDisposable
{
    /// <summary>ProxySQL does not mirror statements of 15 MB or more.</summary>
    public const int MaxStatementBytes = 15 * 1024 * 1024;

    private readonly Channel<MirrorRequest> _queue = Channel.CreateUnbounded<MirrorRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly RuntimeConfigManager _runtime;
    private readonly BackendConnectionProvider _backends;
    private readonly QueryStatistics _statistics;
    private readonly ILogger _logger;
    private readonly Task _dispatcher;
    /// <summary>Set while the dispatcher waits for a running copy to finish.</summary>
    private TaskCompletionSource? _slotWaiter;
    private int _queued;
    private int _running;
    private long _dropped;
    private long _completed;
    private long _failed;

    public StatementMirror(RuntimeConfigManager runtime, BackendConnectionProvider backends, QueryStatistics statistics, ILogger<StatementMirror> logger)
    {
        _runtime = runtime;
        _backends = backends;
        _statistics = statistics;
        _logger = logger;
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>Copies waiting to run (Mirror_queue_length).</summary>
    public int Queued => Volatile.Read(ref _queued);
    /// <summary>Copies running now (Mirror_concurrency).</summary>
    public int Running => Volatile.Read(ref _running);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Completed => Interlocked.Read(ref _completed);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The mirroring rows of <c>stats_mysql_global</c>: ProxySQL's two, then ProxyLayer's own counters.</summary>
    public IEnumerable<(string Name, long Value)> GlobalCounters()
    {
        yield return ("Mirror_concurrency", Running);
        yield return ("Mirror_queue_length", Queued);
        yield return ("Mirror_dropped", Dropped);
        yield return ("Mirror_failed", Failed);
    }

    /// <summary>
    /// Queues a copy; never waits. False (and counted as dropped) when the queue is full or the statement is too
    /// large to mirror.
    /// </summary>
    public bool TryEnqueue(in MirrorRequest request, int statementBytes)
    {
        if (statementBytes >= MaxStatementBytes)
            return Drop();
        if (Interlocked.Increment(ref _queued) > _runtime.Snapshot.Settings.MirrorMaxQueueLength)
        {
            Interlocked.Decrement(ref _queued);
            return Drop();
        }
        if (_queue.Writer.TryWrite(request))
            return true;
        Interlocked.Decrement(ref _queued);
        return Drop();
    }

    private bool Drop()
    {
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private async Task DispatchAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                await WaitForSlotAsync().ConfigureAwait(false);
                if (!reader.TryRead(out var request))
                    continue;
                Interlocked.Decrement(ref _queued);
                Interlocked.Increment(ref _running);
                _ = RunAndReleaseSlotAsync(request);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until fewer than <c>mysql-mirror_max_concurrency</c> copies run (read anew, so a LOAD applies at once).</summary>
    private async Task WaitForSlotAsync()
    {
        while (Volatile.Read(ref _running) >= _runtime.Snapshot.Settings.MirrorMaxConcurrency)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _slotWaiter, waiter);
            // Checked again after publishing the waiter: a copy that ended in between has no waiter to wake.
            if (Volatile.Read(ref _running) < _runtime.Snapshot.Settings.MirrorMaxConcurrency)
                break;
            await waiter.Task.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
    }

    private async Task RunAndReleaseSlotAsync(MirrorRequest request)
    {
        try
        {
            if (await RunAsync(request, _stopping.Token).ConfigureAwait(false))
                Interlocked.Increment(ref _completed);
            else
                Interlocked.Increment(ref _failed);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Exchange(ref _slotWaiter, null)?.TrySetResult();
        }
    }

    /// <summary>Stops taking copies; running ones are cancelled (their connections closed) within a short grace time.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _dispatcher.ConfigureAwait(false);
        for (var waited = 0; Running > 0 && waited < 2000; waited += 10)
            await Task.Delay(10).ConfigureAwait(false);
        // A copy still unwinding may yet look at the token; the source is only released once none runs.
        if (Running == 0)
            _stopping.Dispose();
    }
}
