using System.Buffers;
using System.Text.Json;
using ProxyLayer.Config;
using ProxyLayer.Monitor;
using ProxyLayer.Stats;
using ProxyLayer.Stats.Prometheus;

namespace ProxyLayer.Http.Dashboard;

/// <summary>
/// The dashboard's JSON (<c>/api/status</c> and each event of <c>/api/events</c>): the topology with each server's
/// status, role, pool, counters, ping and lag; statement time and held statements per hostgroup; the writer and status
/// changes; the error counters;
/// the top digests. Counters are cumulative and the page computes rates from two samples, so the server keeps no
/// state per viewer. Built only when a viewer asks, from what the stats tables read: nothing on the statement path.
/// Written with <see cref="Utf8JsonWriter"/> by hand (no reflection: the Native AOT build takes it as it is).
/// </summary>
internal sealed class DashboardStatus(Func<MetricsInputs> inputs, Func<MonitorLogs?> monitorLogs, ServerStatusChanges statusChanges,
    Backends.HostgroupDemand demand, TimeProvider time)
{
    private const int TopDigests = 10;

    /// <summary>Global counters the page shows, by their <c>stats_mysql_global</c> names.</summary>
    private static readonly string[] ShownGlobals =
    [
        "ProxySQL_Uptime", "Questions", "Slow_queries", "Active_Transactions",
        "Client_Connections_connected", "Client_Connections_created", "Client_Connections_aborted",
        "Server_Connections_connected", "Server_Connections_created", "Server_Connections_aborted",
        "generated_error_packets", "Access_Denied_Wrong_Password", "Access_Denied_Max_Connections", "Access_Denied_Max_User_Connections",
        "MySQL_Monitor_connect_check_ERR", "MySQL_Monitor_ping_check_ERR", "MySQL_Monitor_read_only_check_ERR",
        "MySQL_Monitor_replication_lag_check_ERR", "Query_Cache_count_GET", "Query_Cache_count_GET_OK",
    ];

    public byte[] Render()
    {
        var now = inputs();
        var logs = monitorLogs();
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("time_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteBoolean("monitor", logs is not null);
            WriteGlobals(json, now.Globals);
            WriteHostgroups(json, now, logs, demand.Held.ToDictionary(h => h.Hostgroup));
            WriteWriterChanges(json, now.Writers);
            WriteStatusChanges(json, statusChanges);
            WriteDigests(json, now.Statistics);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteGlobals(Utf8JsonWriter json, IReadOnlyList<(string Name, long Value)> globals)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in globals)
            byName.TryAdd(name, value);
        json.WriteStartObject("globals");
        foreach (var name in ShownGlobals)
        {
            if (byName.TryGetValue(name, out var value))
                json.WriteNumber(name, value);
        }
        json.WriteEndObject();
    }

    private static void WriteHostgroups(Utf8JsonWriter json, MetricsInputs now, MonitorLogs? logs, Dictionary<int, Backends.HeldStatements> held)
    {
        var snapshot = now.Snapshot;
        var roles = new Dictionary<int, string>();
        foreach (var pair in snapshot.Config.ReplicationHostgroups)
        {
            roles[pair.WriterHostgroup] = "writer";
            roles.TryAdd(pair.ReaderHostgroup, "reader");
        }
        var latency = now.Statistics.Hostgroups.Snapshot().ToDictionary(r => r.Hostgroup);
        var ids = snapshot.Hostgroups.Keys.Concat(latency.Keys.Where(id => id >= 0)).Concat(held.Keys).Distinct().Order();

        json.WriteStartArray("hostgroups");
        foreach (var id in ids)
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("role", roles.GetValueOrDefault(id, ""));
            if (latency.TryGetValue(id, out var row))
            {
                json.WriteNumber("statements", row.Count);
                json.WriteNumber("time_us", row.TotalTimeMicroseconds);
                json.WriteStartArray("buckets");
                foreach (var bucket in row.Buckets)
                    json.WriteNumberValue(bucket);
                json.WriteEndArray();
            }
            if (held.TryGetValue(id, out var waits))
            {
                json.WriteNumber("held", waits.Count);
                json.WriteNumber("held_wait_us", waits.WaitMicroseconds);
                json.WriteNumber("waiting_now", waits.WaitingNow);
            }
            json.WriteStartArray("servers");
            foreach (var member in snapshot.FindHostgroup(id)?.Members ?? [])
                WriteServer(json, member.Server, member.Config, roles.GetValueOrDefault(id, ""), logs);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteServer(Utf8JsonWriter json, Backends.BackendServer server, ServerConfig config, string hostgroupRole, MonitorLogs? logs)
    {
        json.WriteStartObject();
        json.WriteString("endpoint", server.ToString());
        json.WriteString("status", ServerStatusText.ToText(config.Status));
        // In a writer hostgroup the ONLINE member is the writer; in a reader hostgroup every member serves reads; a
        // hostgroup outside mysql_replication_hostgroups gives its servers no role.
        json.WriteString("role", hostgroupRole switch
        {
            "writer" => config.Status == ServerStatus.Online ? "writer" : "",
            "reader" => "reader",
            _ => "",
        });
        json.WriteNumber("weight", config.Weight);
        json.WriteNumber("max_connections", config.MaxConnections);
        json.WriteNumber("used", server.UsedConnections);
        json.WriteNumber("free", server.IdleConnections);
        json.WriteNumber("queries", server.Queries);
        json.WriteNumber("connect_ok", server.ConnectOk);
        json.WriteNumber("connect_err", server.ConnectErrors);
        json.WriteNumber("bytes_sent", server.BytesSent);
        json.WriteNumber("bytes_recv", server.BytesReceived);
        json.WriteNumber("ping_us", server.PingLatencyUs);
        if (!string.IsNullOrEmpty(config.Comment))
            json.WriteString("comment", config.Comment);
        if (logs is not null)
        {
            var address = new ServerAddress(server.Hostname, server.Port);
            if (logs[CheckKind.ReplicationLag].Latest(address) is { } lag)
            {
                if (lag.Value is { } seconds)
                    json.WriteNumber("lag_s", seconds);
                else if (lag.Error is not null)
                    json.WriteString("lag_error", lag.Error);
            }
            if (logs[CheckKind.ReadOnly].Latest(address) is { Value: { } readOnly })
                json.WriteBoolean("read_only", readOnly != 0);
            if (logs[CheckKind.Ping].Latest(address) is { Error: { } pingError })
                json.WriteString("ping_error", pingError);
        }
        json.WriteEndObject();
    }

    private static void WriteWriterChanges(Utf8JsonWriter json, WriterChangeTracker writers)
    {
        long total = 0;
        foreach (var count in writers.Changes.Values)
            total += count;
        json.WriteNumber("writer_changes_total", total);
        json.WriteStartArray("writer_changes");
        foreach (var change in writers.Recent)
        {
            json.WriteStartObject();
            json.WriteNumber("at_ms", change.At.ToUnixTimeMilliseconds());
            json.WriteNumber("hostgroup", change.WriterHostgroup);
            json.WriteString("from", change.From);
            json.WriteString("to", change.To);
            if (change.DetectSeconds is { } detect)
                json.WriteNumber("detect_s", Math.Round(detect, 3));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteStatusChanges(Utf8JsonWriter json, ServerStatusChanges changes)
    {
        json.WriteStartArray("status_changes");
        foreach (var change in changes.Recent)
        {
            json.WriteStartObject();
            json.WriteNumber("at_ms", change.At.ToUnixTimeMilliseconds());
            json.WriteNumber("hostgroup", change.Hostgroup);
            json.WriteString("endpoint", change.Endpoint);
            json.WriteString("from", change.From);
            json.WriteString("to", change.To);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteDigests(Utf8JsonWriter json, QueryStatistics statistics)
    {
        json.WriteStartArray("digests");
        foreach (var row in statistics.Digests.Snapshot().OrderByDescending(r => r.SumTime).Take(TopDigests))
        {
            json.WriteStartObject();
            json.WriteNumber("hostgroup", row.Key.Hostgroup);
            json.WriteString("digest_text", row.Text);
            json.WriteNumber("count", row.CountStar);
            json.WriteNumber("sum_time_us", row.SumTime);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
