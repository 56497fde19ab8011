namespace ProxyLayer;

/// <summary>
/// Gives memory back to the system once a burst of work is over. A flood of connections (a fuzzer, a reconnect storm)
/// grows the GC heap and the shared buffer pools, and an idle process runs no collection that would shrink them: RSS
/// stayed a third above its start for as long as the proxy idled. So when a whole period passes with no new connection
/// and no statement after some activity, one aggressive collection runs (it compacts, decommits free memory and lets
/// the buffer pools trim). Under steady load it never runs, so it costs the hot path nothing.
/// </summary>
internal sealed class IdleMemoryTrimmer : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    private readonly Func<long> _activity;
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    /// <param name="activity">A number that moves whenever the proxy works (connections opened plus statements).</param>
    public IdleMemoryTrimmer(Func<long> activity, TimeProvider time)
    {
        _activity = activity;
        _timer = new PeriodicTimer(Period, time);
        _loop = RunAsync();
    }

    /// <summary>How many times memory was given back, for tests and the curious.</summary>
    public int Trims { get; private set; }

    private async Task RunAsync()
    {
        var seen = _activity();
        var trimmedAt = seen;
        while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            var now = _activity();
            if (now == seen && now != trimmedAt)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                trimmedAt = now;
                Trims++;
            }
            seen = now;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _loop.ConfigureAwait(false);
    }
}
