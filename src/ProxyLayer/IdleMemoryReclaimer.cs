using System.Runtime;
using Microsoft.Extensions.Logging;

namespace ProxyLayer;

/// <summary>
/// Gives memory back to the system once the proxy goes quiet after a burst. The GC only shrinks its heap when it
/// collects, and an idle proxy allocates nothing, so without this the memory of a burst (20 MB results, 1 MB
/// statements, thousands of clients) would stay committed for good. Every <see cref="Period"/> it looks at the
/// allocations since the last look: if fewer than <see cref="QuietBytes"/> (idle) while the GC holds over
/// <see cref="Slack"/> more committed memory than after the last reclaim, it runs one compacting full collection in
/// the mode that decommits what it frees, large-object heap included. That costs a few milliseconds on an idle
/// process, and nothing while busy. Process-wide, so the binary runs one; in-process test hosts do not.
/// </summary>
internal sealed partial class IdleMemoryReclaimer : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private const long QuietBytes = 8L * 1024 * 1024;
    private const long Slack = 16L * 1024 * 1024;

    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _committedAfterReclaim;

    public IdleMemoryReclaimer(ILogger<IdleMemoryReclaimer> logger)
    {
        _logger = logger;
        _committedAfterReclaim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        _loop = RunAsync();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Period);
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                var quiet = allocated - allocatedBefore < QuietBytes;
                allocatedBefore = allocated;
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (quiet && committed > _committedAfterReclaim + Slack)
                    Reclaim(committed);
                else if (committed < _committedAfterReclaim)
                    _committedAfterReclaim = committed;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Reclaim(long committedBefore)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _committedAfterReclaim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        LogReclaimed(_logger, committedBefore / (1024 * 1024), _committedAfterReclaim / (1024 * 1024));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "idle after a burst: GC memory {BeforeMb} MB -> {AfterMb} MB returned to the system")]
    private static partial void LogReclaimed(ILogger logger, long beforeMb, long afterMb);
}
