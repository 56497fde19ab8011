using System.Collections.Immutable;
using System.Globalization;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>
/// Servers read back from the rows a peer served (<see cref="ClusterTables.ServerColumns"/>: mysql_servers_v2 or
/// runtime_mysql_servers), for a sync that puts them in force without going through MEMORY. Anything malformed
/// refuses the whole table: a peer's runtime is taken whole or not at all.
/// </summary>
internal static class ServerRows
{
    public static bool TryParse(ClusterTable table, out ImmutableArray<ServerConfig> servers, out string error)
    {
        servers = [];
        error = "";
        if (!table.Columns.SequenceEqual(ClusterTables.ServerColumns, StringComparer.OrdinalIgnoreCase))
        {
            error = "its servers came with columns " + string.Join(", ", table.Columns);
            return false;
        }
        var parsed = ImmutableArray.CreateBuilder<ServerConfig>(table.Rows.Count);
        var keys = new HashSet<(int, string, int)>();
        foreach (var row in table.Rows)
        {
            if (row.Count != ClusterTables.ServerColumns.Length || !TryInt(row[0], out var hostgroup) || row[1] is not { Length: > 0 } hostname || !TryInt(row[2], out var port) ||
                port is < 0 or > 65535 || !TryInt(row[3], out var gtidPort) || !ServerStatusText.TryParse(row[4] ?? "", out var status) ||
                !TryInt(row[5], out var weight) || !TryInt(row[6], out var compression) || !TryInt(row[7], out var maxConnections) ||
                !TryInt(row[8], out var maxLag) || !TryInt(row[9], out var useSsl) || !TryInt(row[10], out var maxLatency))
            {
                error = "a server row does not parse: " + string.Join(", ", row.Select(f => f ?? "NULL"));
                return false;
            }
            if (!keys.Add((hostgroup, hostname, port)))
            {
                error = $"server ({hostgroup}, '{hostname}', {port}) is listed twice";
                return false;
            }
            parsed.Add(new ServerConfig
            {
                HostgroupId = hostgroup, Hostname = hostname, Port = port, GtidPort = gtidPort, Status = status, Weight = weight,
                Compression = compression != 0, MaxConnections = maxConnections, MaxReplicationLag = maxLag, UseSsl = useSsl != 0,
                MaxLatencyMs = maxLatency, Comment = row[11] ?? "",
            });
        }
        servers = parsed.ToImmutable();
        return true;
    }

    private static bool TryInt(string? text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
