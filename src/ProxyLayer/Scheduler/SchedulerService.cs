using Microsoft.Extensions.Logging;
using ProxyLayer.Config;

namespace ProxyLayer.Scheduler;

/// <summary>
/// Runs the runtime's active <c>scheduler</c> rows, one <see cref="ScheduledJob"/> each, and follows every new
/// runtime snapshot: only rows that changed are stopped and started again (<see cref="SchedulerPlan"/>), so a LOAD of
/// another module, or of the same rows, disturbs nothing. The lock is taken only when a snapshot is swapped in,
/// never by the runs themselves.
/// </summary>
internal sealed class SchedulerService : IAsyncDisposable
{
    /// <summary>How long stopping the proxy waits for the killed programs' loops to end.</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(10);

    private readonly RuntimeConfigManager _runtime;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduledJob> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ScheduledJob> _jobs = [];
    /// <summary>Jobs stopped by a reload whose last run may still be going; killed too if the proxy stops.</summary>
    private readonly List<ScheduledJob> _retiring = [];
    private System.Collections.Immutable.ImmutableArray<SchedulerJobConfig> _followed = [];
    private bool _disposed;

    public SchedulerService(RuntimeConfigManager runtime, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _runtime = runtime;
        _time = time;
        _logger = loggerFactory.CreateLogger<ScheduledJob>();
        _runtime.Changed += Follow;
        Follow(_runtime.Snapshot);
    }

    /// <summary>The rows of the jobs running now, by id.</summary>
    public IReadOnlyDictionary<int, SchedulerJobConfig> Running
    {
        get
        {
            lock (_gate)
                return _jobs.ToDictionary(j => j.Key, j => j.Value.Config);
        }
    }

    private TimeSpan Timeout() => TimeSpan.FromMilliseconds(_runtime.Snapshot.Admin.SchedulerTimeoutMs);

    /// <summary>
    /// Reads the runtime's current rows rather than the snapshot passed in: two loads finishing at once may raise their
    /// events in either order, and the last call must leave the newest rows running.
    /// </summary>
    private void Follow(RuntimeSnapshot _)
    {
        lock (_gate)
        {
            var rows = _runtime.Snapshot.Config.Scheduler;
            // Same array: a load of another module, or a monitor move, carried the rows over untouched.
            if (_disposed || rows == _followed)
                return;
            _followed = rows;
            var plan = SchedulerPlan.Between(_jobs.ToDictionary(j => j.Key, j => j.Value.Config), rows);
            if (plan.ChangesNothing)
                return;
            _retiring.RemoveAll(static job =>
            {
                if (!job.Completion.IsCompleted)
                    return false;
                job.Dispose();
                return true;
            });
            foreach (var id in plan.Stop)
            {
                var job = _jobs[id];
                _jobs.Remove(id);
                job.Stop();
                _retiring.Add(job);
            }
            foreach (var row in plan.Start)
            {
                // Every stopped version of the row whose last run may still be going, from this reload or an earlier one.
                var predecessors = _retiring.Where(j => j.Config.Id == row.Id).Select(j => j.Completion);
                _jobs[row.Id] = ScheduledJob.Start(row, Task.WhenAll(predecessors), Timeout, _time, _logger);
            }
        }
    }

    /// <summary>Stops every job and kills the programs still running (with their children), so none outlives the proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        _runtime.Changed -= Follow;
        ScheduledJob[] all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _jobs.Values, .. _retiring];
            _jobs.Clear();
            _retiring.Clear();
        }
        foreach (var job in all)
            job.Kill();
        try
        {
            await Task.WhenAll(all.Select(j => j.Completion)).WaitAsync(ShutdownBound, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A program stuck in the kernel past SIGKILL: the proxy stops anyway.
        }
        foreach (var job in all.Where(static j => j.Completion.IsCompleted))
            job.Dispose();
    }
}
