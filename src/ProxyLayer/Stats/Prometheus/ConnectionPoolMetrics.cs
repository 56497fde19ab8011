using ProxyLayer.Config;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// ProxySQL's per-server families (<c>proxysql_connpool_*</c>), one series per hostgroup member labelled
/// <c>hostgroup</c> and <c>endpoint</c> (<c>host:port</c>): the rows of <c>stats_mysql_connection_pool</c>. A server
/// moved to another hostgroup by a failover shows up under its new hostgroup at the next scrape.
/// </summary>
internal static class ConnectionPoolMetrics
{
    private const string StatusHelp = "The status of the backend server (1 - ONLINE, 2 - SHUNNED, 3 - OFFLINE_SOFT, 4 - OFFLINE_HARD, 5 - SHUNNED_REPLICATION_LAG).";

    public static void Write(ExpositionWriter writer, RuntimeSnapshot snapshot)
    {
        var members = snapshot.Hostgroups.Values.OrderBy(h => h.Id)
            .SelectMany(h => h.Members.Select(m => (Hostgroup: h.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Member: m)))
            .ToList();

        writer.Family("proxysql_connpool_conns", MetricType.Gauge, "How many backend connections are currently (free|used).");
        foreach (var (hostgroup, member) in members)
        {
            var endpoint = member.Server.ToString();
            writer.Sample([("endpoint", endpoint), ("hostgroup", hostgroup), ("status", "used")], member.Server.UsedConnections);
            writer.Sample([("endpoint", endpoint), ("hostgroup", hostgroup), ("status", "free")], member.Server.IdleConnections);
        }
        writer.Family("proxysql_connpool_conns_latency_us", MetricType.Gauge, "The currently ping time in microseconds, as reported from Monitor.");
        foreach (var (hostgroup, member) in members)
            writer.Sample([("endpoint", member.Server.ToString()), ("hostgroup", hostgroup)], member.Server.PingLatencyUs);
        writer.Family("proxysql_connpool_conns_queries_total", MetricType.Counter, "The number of queries routed towards this particular backend server.");
        foreach (var (hostgroup, member) in members)
            writer.Sample([("endpoint", member.Server.ToString()), ("hostgroup", hostgroup)], member.Server.Queries);
        writer.Family("proxysql_connpool_conns_status", MetricType.Gauge, StatusHelp);
        foreach (var (hostgroup, member) in members)
            writer.Sample([("endpoint", member.Server.ToString()), ("hostgroup", hostgroup)], StatusNumber(member.Config.Status));
        writer.Family("proxysql_connpool_conns_total", MetricType.Counter, "How many connections have been tried to be established.");
        foreach (var (hostgroup, member) in members)
        {
            var endpoint = member.Server.ToString();
            writer.Sample([("endpoint", endpoint), ("hostgroup", hostgroup), ("status", "ok")], member.Server.ConnectOk);
            writer.Sample([("endpoint", endpoint), ("hostgroup", hostgroup), ("status", "err")], member.Server.ConnectErrors);
        }
        writer.Family("proxysql_connpool_data_bytes_total", MetricType.Counter, "Amount of data (sent|recv) from the backend, excluding metadata.");
        foreach (var (hostgroup, member) in members)
        {
            var endpoint = member.Server.ToString();
            writer.Sample([("endpoint", endpoint), ("hostgroup", hostgroup), ("traffic_flow", "sent")], member.Server.BytesSent);
            writer.Sample([("endpoint", endpoint), ("hostgroup", hostgroup), ("traffic_flow", "recv")], member.Server.BytesReceived);
        }
    }

    /// <summary>ProxySQL's numbering of server states in <c>proxysql_connpool_conns_status</c>.</summary>
    internal static int StatusNumber(ServerStatus status) => status switch
    {
        ServerStatus.Online => 1,
        ServerStatus.Shunned => 2,
        ServerStatus.OfflineSoft => 3,
        ServerStatus.OfflineHard => 4,
        _ => 0,
    };
}
