using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Stats.History;

/// <summary>
/// Writes a <c>stats_history.mysql_connections</c> row every <c>admin-stats_mysql_connections</c> seconds and a
/// <c>system_memory</c> row every <c>admin-stats_system_memory</c> seconds (0 stops one), from the same figures
/// <c>stats_mysql_global</c> shows. Wakes once a second and reads the intervals from the running snapshot, so a
/// <c>LOAD ADMIN VARIABLES TO RUNTIME</c> takes effect at the next tick.
/// </summary>
internal sealed partial class StatsHistorySampler : IAsyncDisposable
{
    private readonly AdminStore _store;
    private readonly Func<RuntimeSnapshot> _snapshot;
    private readonly Func<IReadOnlyDictionary<string, long>> _globals;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastConnections;
    private long _lastMemory;

    public StatsHistorySampler(AdminStore store, Func<RuntimeSnapshot> snapshot, Func<IReadOnlyDictionary<string, long>> globals,
        TimeProvider time, ILogger<StatsHistorySampler> logger)
    {
        _store = store;
        _snapshot = snapshot;
        _globals = globals;
        _time = time;
        _logger = logger;
        _store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            return 0;
        });
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                SampleDue(_time.GetUtcNow().ToUnixTimeSeconds());
                await Task.Delay(TimeSpan.FromSeconds(1), _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ObjectDisposedException)
            {
                // A full disk or a store closing must not end the history for good: log it and try at the next tick.
                LogSampleFailed(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes the samples whose interval has passed since the last one.</summary>
    internal void SampleDue(long now)
    {
        var admin = _snapshot().Admin;
        if (IsDue(admin.StatsMysqlConnections, ref _lastConnections, now))
        {
            var globals = _globals();
            var values = HistoryTable.MysqlConnections.Columns.Select(c => globals.GetValueOrDefault(c)).ToList();
            _store.Run(connection =>
            {
                HistoryTable.MysqlConnections.Record(connection, now, values);
                return 0;
            });
        }
        if (IsDue(admin.StatsSystemMemory, ref _lastMemory, now))
        {
            var values = MemoryValues();
            _store.Run(connection =>
            {
                HistoryTable.SystemMemory.Record(connection, now, values);
                return 0;
            });
        }
    }

    private static bool IsDue(int interval, ref long last, long now)
    {
        if (interval <= 0 || now < last + interval)
            return false;
        last = now;
        return true;
    }

    /// <summary>
    /// ProxySQL's columns are jemalloc's; these are the .NET figures nearest in meaning: allocated = bytes live on the
    /// managed heap, resident = the process's resident set, active = memory the GC has committed, mapped = the
    /// process's virtual size, metadata = SQLite's allocator (admin and stats stores), retained = free space the GC
    /// keeps inside its heap (fragmentation).
    /// </summary>
    private static List<long> MemoryValues()
    {
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return [GC.GetTotalMemory(forceFullCollection: false), Environment.WorkingSet, gc.TotalCommittedBytes,
            process.VirtualMemorySize64, MemoryStats.SqliteMemoryBytes(), gc.FragmentedBytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "stats_history: a sample could not be written (retrying next second): {Error}")]
    private partial void LogSampleFailed(string error);
}
