using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Stats.History;

/// <summary>What the sampler reads from the running proxy.</summary>
/// <param name="Globals"><c>stats_mysql_global</c>'s rows as they are now, by name.</param>
/// <param name="TakeDigests">The digest table's rows, emptying it.</param>
/// <param name="Tables">Regenerates the named stats tables on the connection given (the admin's on-read refresh).</param>
internal sealed record StatsHistorySources(
    Func<RuntimeSnapshot> Snapshot,
    Func<IReadOnlyDictionary<string, long>> Globals,
    Func<IReadOnlyList<DigestRow>> TakeDigests,
    IAdminTableRefresher? Tables);

/// <summary>
/// Fills <c>stats_history</c> on ProxySQL's timers, read from the running snapshot at each one-second tick (so a
/// <c>LOAD ADMIN VARIABLES TO RUNTIME</c> takes effect within a second; 0 stops a timer):
/// <c>admin-stats_mysql_connections</c> → <c>mysql_connections</c>, <c>myhgm_connections</c>,
/// <c>history_mysql_status_variables</c>, <c>history_stats_mysql_connection_pool</c>;
/// <c>admin-stats_mysql_query_cache</c> → <c>mysql_query_cache</c>; <c>admin-stats_system_cpu</c> → <c>system_cpu</c>;
/// <c>admin-stats_system_memory</c> → <c>system_memory</c>; <c>admin-stats_mysql_query_digest_to_disk</c> → a digest dump.
/// </summary>
internal sealed partial class StatsHistorySampler : IAsyncDisposable
{
    private static readonly IReadOnlySet<string> PoolTable = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConnectionPoolStats.Table };

    private readonly AdminStore _store;
    private readonly StatsHistorySources _sources;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StatusVariablesHistory _statusVariables = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastConnections;
    private long _lastQueryCache;
    private long _lastCpu;
    private long _lastMemory;
    private long _lastDigests;

    public StatsHistorySampler(AdminStore store, StatsHistorySources sources, TimeProvider time, ILogger<StatsHistorySampler> logger)
    {
        _store = store;
        _sources = sources;
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
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ObjectDisposedException)
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
        var admin = _sources.Snapshot().Admin;
        var connections = IsDue(admin.StatsMysqlConnections, ref _lastConnections, now);
        var queryCache = IsDue(admin.StatsMysqlQueryCache, ref _lastQueryCache, now);
        if (connections || queryCache)
        {
            var globals = _sources.Globals();
            _store.Run(connection =>
            {
                if (connections)
                {
                    HistoryTable.MysqlConnections.Record(connection, now, ValuesOf(HistoryTable.MysqlConnections, globals));
                    HistoryTable.MyhgmConnections.Record(connection, now, ValuesOf(HistoryTable.MyhgmConnections, globals));
                    _statusVariables.Record(connection, now, globals);
                    if (_sources.Tables is { } tables)
                    {
                        tables.Refresh(connection, PoolTable);
                        ConnectionPoolHistory.Record(connection, now);
                    }
                }
                if (queryCache)
                    HistoryTable.MysqlQueryCache.Record(connection, now, QueryCacheValues(globals));
                return 0;
            });
        }
        if (IsDue(admin.StatsSystemCpu, ref _lastCpu, now))
        {
            var (user, system) = ProcessCpuTimes.Now();
            Record(HistoryTable.SystemCpu, now, [user, system]);
        }
        if (IsDue(admin.StatsSystemMemory, ref _lastMemory, now))
            Record(HistoryTable.SystemMemory, now, MemoryValues());
        if (IsDue(admin.StatsMysqlQueryDigestToDisk, ref _lastDigests, now))
        {
            var saved = SaveDigests(now);
            LogDigestsSaved(saved);
        }
    }

    /// <summary><c>SAVE MYSQL DIGEST TO DISK</c>: moves the digest table into <c>history_mysql_query_digest</c>; returns the rows moved.</summary>
    public int SaveDigests() => SaveDigests(_time.GetUtcNow().ToUnixTimeSeconds());

    private int SaveDigests(long now)
    {
        var rows = _sources.TakeDigests();
        return _store.Run(connection => DigestHistory.Write(connection, now, rows));
    }

    private void Record(HistoryTable table, long now, IReadOnlyList<long> values) =>
        _store.Run(connection =>
        {
            table.Record(connection, now, values);
            return 0;
        });

    /// <summary>ProxySQL's timer: due at the first tick, then once <paramref name="interval"/> seconds have passed.</summary>
    private static bool IsDue(int interval, ref long last, long now)
    {
        if (interval <= 0 || now < last + interval)
            return false;
        last = now;
        return true;
    }

    private static List<long> ValuesOf(HistoryTable table, IReadOnlyDictionary<string, long> globals) =>
        [.. table.Columns.Select(c => globals.GetValueOrDefault(c))];

    /// <summary><c>mysql_query_cache</c>'s columns are <c>stats_mysql_global</c>'s <c>Query_Cache_*</c> rows under other names.</summary>
    private static List<long> QueryCacheValues(IReadOnlyDictionary<string, long> globals) =>
        [.. QueryCacheGlobals.Select(name => globals.GetValueOrDefault(name))];

    private static readonly string[] QueryCacheGlobals =
    [
        "Query_Cache_count_GET", "Query_Cache_count_GET_OK", "Query_Cache_count_SET", "Query_Cache_bytes_IN", "Query_Cache_bytes_OUT",
        "Query_Cache_Purged", "Query_Cache_Entries", "Query_Cache_Memory_bytes",
    ];

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Automatically saved stats_mysql_query_digest to disk: {Rows} entries")]
    private partial void LogDigestsSaved(int rows);
}
