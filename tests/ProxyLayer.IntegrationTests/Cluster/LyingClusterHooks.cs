using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;
using ProxyLayer.Cluster;

namespace ProxyLayer.IntegrationTests.Cluster;

/// <summary>
/// A peer that lies: it answers as its real cluster node does, except that the query rules it serves send every
/// rule to hostgroup 20, whatever the rules (and so the checksum it shows) say.
/// </summary>
internal sealed class LyingClusterHooks(ClusterNode node) : IAdminClusterHooks
{
    public void Loaded(SqliteConnection connection, AdminModule module, object? origin) => node.Loaded(connection, module, origin);

    public void Refresh(SqliteConnection connection, string statement) => node.Refresh(connection, statement);

    public AdminResult? TryAnswer(SqliteConnection connection, string normalized, AdminSessionContext context)
    {
        var answer = node.TryAnswer(connection, normalized, context);
        if (answer is not AdminResult.Rows rows || !normalized.Contains("FROM runtime_mysql_query_rules ORDER BY", StringComparison.Ordinal))
            return answer;
        var destination = rows.Columns.ToList().IndexOf("destination_hostgroup");
        return rows with { Values = [.. rows.Values.Select(r => r.Select((v, i) => i == destination ? "20" : v).ToArray())] };
    }
}
