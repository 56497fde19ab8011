using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Cluster;

/// <summary>
/// Fills <c>runtime_checksums_values</c> and the <c>stats_proxysql_servers_*</c> tables on read, as ProxySQL does
/// (<c>last_check_ms</c> is the time since the last successful check; since start-up for a peer never reached).
/// </summary>
internal static class ClusterStatsTables
{
    /// <summary>ProxySQL's row order (it has no ORDER BY of its own): servers v2 last.</summary>
    private static readonly ClusterModule[] ChecksumRowOrder =
    [
        ClusterModule.AdminVariables, ClusterModule.MysqlQueryRules, ClusterModule.MysqlServers, ClusterModule.MysqlUsers,
        ClusterModule.MysqlVariables, ClusterModule.ProxysqlServers, ClusterModule.MysqlServersV2,
    ];

    public static void WriteChecksums(SqliteConnection connection, ChecksumSnapshot snapshot)
    {
        Execute(connection, "DELETE FROM main.runtime_checksums_values");
        using var insert = Prepare(connection, "INSERT INTO main.runtime_checksums_values VALUES (@p0, @p1, @p2, @p3)", 4);
        foreach (var module in ChecksumRowOrder)
        {
            var value = snapshot[module];
            if (value.Version == 0)
                continue;
            Run(insert, module.Name(), value.Version, value.Epoch, value.Checksum);
        }
    }

    public static void WritePeers(SqliteConnection connection, IReadOnlyList<PeerView> peers,
        ImmutableDictionary<string, (string Host, int Port, string Interfaces, long SeenAt)> clients)
    {
        Execute(connection, "DELETE FROM stats.stats_proxysql_servers_checksums");
        Execute(connection, "DELETE FROM stats.stats_proxysql_servers_metrics");
        Execute(connection, "DELETE FROM stats.stats_proxysql_servers_clients_status");
        using (var checksums = Prepare(connection, "INSERT INTO stats.stats_proxysql_servers_checksums VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)", 9))
        using (var metrics = Prepare(connection, "INSERT INTO stats.stats_proxysql_servers_metrics VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)", 10))
        {
            foreach (var peer in peers)
            {
                foreach (var module in peer.Modules)
                {
                    Run(checksums, peer.Peer.Hostname, peer.Peer.Port, module.Module.Name(), module.Version, module.Epoch, module.Checksum,
                        module.ChangedAt, module.UpdatedAt, module.DiffCheck);
                }
                Run(metrics, peer.Peer.Hostname, peer.Peer.Port, peer.Peer.Weight, peer.Peer.Comment, peer.ResponseTimeMs, peer.UptimeSeconds,
                    (long)Stopwatch.GetElapsedTime(peer.LastCheckTimestamp).TotalMilliseconds, peer.Queries, peer.ClientConnectionsConnected, peer.ClientConnectionsCreated);
            }
        }
        using var clientRows = Prepare(connection, "INSERT OR REPLACE INTO stats.stats_proxysql_servers_clients_status VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
        foreach (var (uuid, client) in clients)
            Run(clientRows, uuid, client.Host, client.Port, client.Interfaces, client.SeenAt);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
            command.Parameters.Add(new SqliteParameter { ParameterName = "@p" + i });
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
