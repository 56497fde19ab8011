using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;
using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Stats;

/// <summary>
/// Regenerates the <c>stats</c> tables a statement names, from the live runtime, sessions, servers and
/// <see cref="QueryStatistics"/>. The admin executor calls it under the store's lock; tables not named are left alone.
/// </summary>
internal sealed class StatsTableRefresher : IAdminTableRefresher
{
    private readonly RuntimeConfigManager _runtime;
    private readonly BackendServerRegistry _servers;
    private readonly IStatsSessions _sessions;
    private readonly QueryStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ConnectionPoolStats _connectionPool = new();
    private readonly Func<IEnumerable<(string Name, long Value)>>? _moreGlobals;
    private readonly Networking.ClientHostErrorCache? _clientHosts;

    /// <summary>Refused logins per user and address; none are counted when not given.</summary>
    public LoginFailures LoginFailures { get; init; } = new();

    /// <param name="moreGlobals">Further <c>stats_mysql_global</c> rows kept elsewhere (query cache, mirroring).</param>
    /// <param name="clientHosts">Behind <c>stats_mysql_client_host_cache</c>; null leaves it empty.</param>
    public StatsTableRefresher(RuntimeConfigManager runtime, BackendServerRegistry servers, IStatsSessions sessions,
        QueryStatistics statistics, TimeProvider time, Func<IEnumerable<(string Name, long Value)>>? moreGlobals = null,
        Networking.ClientHostErrorCache? clientHosts = null)
    {
        _clientHosts = clientHosts;
        _moreGlobals = moreGlobals;
        _runtime = runtime;
        _servers = servers;
        _sessions = sessions;
        _statistics = statistics;
        _time = time;
    }

    /// <summary>The refresher for a running proxy.</summary>
    public static StatsTableRefresher For(ProxyHost host, QueryStatistics statistics, TimeProvider time,
        Func<IEnumerable<(string Name, long Value)>>? moreGlobals = null) =>
        new(host.Runtime, host.Servers, new RegistryStatsSessions(host.Sessions), statistics, time, moreGlobals, host.ClientHosts)
        {
            LoginFailures = host.ClientAuth.Failures,
        };

    public void Refresh(SqliteConnection connection, IReadOnlySet<string> tables)
    {
        var snapshot = _runtime.Snapshot;
        IReadOnlyList<SessionInfo>? sessions = null;
        IReadOnlyList<SessionInfo> Sessions() => sessions ??= _sessions.Snapshot();

        Execute(connection, "SAVEPOINT stats_refresh");
        try
        {
            // A _reset name also contains the plain name, so both come together: reset first, then the plain table
            // shows what is left (zero), as ProxySQL does after a reset.
            if (tables.Contains(ConnectionPoolStats.ResetTable))
                _connectionPool.Write(connection, snapshot, reset: true);
            if (tables.Contains(ConnectionPoolStats.Table))
                _connectionPool.Write(connection, snapshot, reset: false);
            if (tables.Contains(DigestStats.ResetTable))
                DigestStats.Write(connection, _statistics.Digests, reset: true);
            if (tables.Contains(DigestStats.Table))
                DigestStats.Write(connection, _statistics.Digests, reset: false);
            if (tables.Contains(BackendErrorsStats.ResetTable))
                BackendErrorsStats.Write(connection, _statistics.Errors, reset: true);
            if (tables.Contains(BackendErrorsStats.Table))
                BackendErrorsStats.Write(connection, _statistics.Errors, reset: false);
            if (tables.Contains(CommandCountersStats.Table))
                CommandCountersStats.Write(connection, _statistics.Commands);
            if (tables.Contains(GlobalStats.Table))
                GlobalStats.Write(connection, _statistics, Sessions(), _servers.All, snapshot, _moreGlobals?.Invoke() ?? []);
            if (tables.Contains(ProcesslistStats.Table))
                ProcesslistStats.Write(connection, Sessions(), _time.GetUtcNow());
            if (tables.Contains(UsersStats.Table))
                UsersStats.Write(connection, snapshot, _sessions);
            if (tables.Contains(FailedLoginsStats.Table))
                FailedLoginsStats.Write(connection, LoginFailures);
            if (tables.Contains(QueryRulesStats.Table))
                QueryRulesStats.Write(connection, snapshot);
            if (tables.Contains(GtidExecutedStats.Table))
                GtidExecutedStats.Write(connection, _servers.All);
            if (tables.Contains(MemoryStats.Table))
                MemoryStats.Write(connection);
            if (_clientHosts is not null && tables.Contains(ClientHostCacheStats.ResetTable))
                ClientHostCacheStats.Write(connection, _clientHosts, reset: true);
            if (_clientHosts is not null && tables.Contains(ClientHostCacheStats.Table))
                ClientHostCacheStats.Write(connection, _clientHosts, reset: false);
            Execute(connection, "RELEASE stats_refresh");
        }
        catch
        {
            Execute(connection, "ROLLBACK TO stats_refresh");
            Execute(connection, "RELEASE stats_refresh");
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
