using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ProxyLayer;

/// <summary>
/// Gives memory back to the system once the proxy goes quiet after a burst. The GC only shrinks its heap when it
/// collects, and an idle proxy allocates nothing, so without this the memory of a burst (20 MB results, 1 MB
/// statements, thousands of clients) would stay committed for good. Every <see cref="Period"/> it looks at the
/// allocations since the last look: if fewer than <see cref="QuietBytes"/> (idle) while the process's RSS is over
/// <see cref="Slack"/> above what it was after the last reclaim, it runs one compacting full collection in
/// the mode that decommits what it frees, large-object heap included, then asks glibc to give back the free pages
/// of its heaps (native memory: TLS sessions, sockets; a flood of logins grew it by 40 MB and it stayed). That costs
/// a few milliseconds on an idle process, and nothing while busy. Process-wide, so the binary runs one; in-process
/// test hosts do not.
/// </summary>
internal sealed partial class IdleMemoryReclaimer : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private const long QuietBytes = 8L * 1024 * 1024;
    private const long Slack = 16L * 1024 * 1024;

    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _workingSetAfterReclaim;

    public IdleMemoryReclaimer(ILogger<IdleMemoryReclaimer> logger)
    {
        _logger = logger;
        _workingSetAfterReclaim = Environment.WorkingSet;
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
                var workingSet = Environment.WorkingSet;
                if (quiet && workingSet > _workingSetAfterReclaim + Slack)
                    Reclaim(workingSet);
                else
                    _workingSetAfterReclaim = Math.Min(_workingSetAfterReclaim, workingSet);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Reclaim(long workingSetBefore)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
            TrimNativeHeap();
        _workingSetAfterReclaim = Environment.WorkingSet;
        LogReclaimed(_logger, workingSetBefore / (1024 * 1024), _workingSetAfterReclaim / (1024 * 1024));
    }

    private static void TrimNativeHeap()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (musl has no malloc_trim): the GC's part is done
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "idle after a burst: RSS {BeforeMb} MB -> {AfterMb} MB, memory returned to the system")]
    private static partial void LogReclaimed(ILogger logger, long beforeMb, long afterMb);
}
