using Microsoft.Data.Sqlite;
using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_connection_pool</c> and its <c>_reset</c> twin, one row per hostgroup member. The servers'
/// counters only grow, so a reset is a baseline: both tables show counters minus the baseline of their row, and
/// reading <c>_reset</c> moves the baseline to now. Gauges (ConnUsed, ConnFree) are never reset.
/// </summary>
/// <remarks>
/// Counters are kept per server, so a server in two hostgroups shows the same counters on both rows. MaxConnUsed is
/// the highest ConnUsed seen at a refresh (the servers keep no high-water mark); Latency_us is the monitor's ping time
/// (0 while the monitor is off).
/// </remarks>
internal sealed class ConnectionPoolStats
{
    public const string Table = "stats_mysql_connection_pool";
    public const string ResetTable = Table + "_reset";

    private static readonly string[] Columns =
    [
        "hostgroup", "srv_host", "srv_port", "status", "ConnUsed", "ConnFree", "ConnOK", "ConnERR", "MaxConnUsed",
        "Queries", "Queries_GTID_sync", "Bytes_data_sent", "Bytes_data_recv", "Latency_us",
    ];

    // Touched only from Refresh, which the admin store's lock serialises.
    private readonly Dictionary<(int Hostgroup, string Host, int Port), PoolCounters> _baselines = [];
    private readonly Dictionary<(int Hostgroup, string Host, int Port), int> _maxUsed = [];

    public void Write(SqliteConnection connection, RuntimeSnapshot snapshot, bool reset)
    {
        using var table = StatsTableWriter.Replace(connection, reset ? ResetTable : Table, Columns);
        foreach (var hostgroup in snapshot.Hostgroups.Values.OrderBy(h => h.Id))
        {
            foreach (var member in hostgroup.Members)
            {
                var server = member.Server;
                var key = (hostgroup.Id, server.Hostname, server.Port);
                var current = PoolCounters.Of(server);
                var shown = current - _baselines.GetValueOrDefault(key);
                if (reset)
                    _baselines[key] = current;
                var used = server.UsedConnections;
                var maxUsed = Math.Max(used, _maxUsed.GetValueOrDefault(key));
                _maxUsed[key] = maxUsed;
                table.Add(hostgroup.Id, server.Hostname, server.Port, ServerStatusText.ToText(member.Config.Status),
                    used, server.IdleConnections, shown.ConnectOk, shown.ConnectErrors, maxUsed, shown.Queries, shown.GtidSynced,
                    shown.BytesSent, shown.BytesReceived, server.PingLatencyUs);
            }
        }
    }

    private readonly record struct PoolCounters(long ConnectOk, long ConnectErrors, long Queries, long BytesSent, long BytesReceived,
        long GtidSynced)
    {
        public static PoolCounters Of(BackendServer server) =>
            new(server.ConnectOk, server.ConnectErrors, server.Queries, server.BytesSent, server.BytesReceived, server.GtidSyncedQueries);

        public static PoolCounters operator -(PoolCounters a, PoolCounters b) =>
            new(a.ConnectOk - b.ConnectOk, a.ConnectErrors - b.ConnectErrors, a.Queries - b.Queries,
                a.BytesSent - b.BytesSent, a.BytesReceived - b.BytesReceived, a.GtidSynced - b.GtidSynced);
    }
}
