using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Cluster;

/// <summary>What a ProxySQL 2.7 peer asks of a node it checks, answered as ProxySQL's admin answers it.</summary>
internal sealed partial class ClusterNode
{
    /// <summary>PROXY_SELECT tables, longest name first so a name is never taken for its prefix.</summary>
    private static readonly (string Table, Func<ClusterSources, ClusterTable> Rows)[] ProxySelectTables =
    [
        ("runtime_mysql_query_rules_fast_routing", s => ClusterTables.FastRouting(s.Runtime.FastRouting)),
        ("runtime_mysql_group_replication_hostgroups", s => Other(s, 0)),
        ("runtime_mysql_replication_hostgroups", s => ClusterTables.ReplicationHostgroups(s.Runtime.ReplicationHostgroups)),
        ("runtime_mysql_aws_aurora_hostgroups", s => Other(s, 2)),
        ("runtime_mysql_hostgroup_attributes", s => Other(s, 3)),
        ("runtime_mysql_servers_ssl_params", s => Other(s, 4)),
        ("runtime_mysql_galera_hostgroups", s => Other(s, 1)),
        ("runtime_mysql_query_rules", s => ClusterTables.QueryRules(s.Runtime.QueryRules)),
        ("runtime_mysql_servers", s => ClusterTables.Servers(s.Runtime.Servers)),
        ("runtime_mysql_users", s => ClusterTables.Users(s.Runtime.Users)),
        ("mysql_servers_v2", s => ClusterTables.Servers(s.LoadedServers)),
    ];

    public AdminResult? TryAnswer(SqliteConnection connection, string normalized, AdminSessionContext context)
    {
        if (normalized.Equals(ClusterProtocol.GlobalChecksumQuery, StringComparison.OrdinalIgnoreCase))
            return new AdminResult.Rows(["CHECKSUM"], [[Checksums.Snapshot.GlobalChecksum.ToString(CultureInfo.InvariantCulture)]]);
        if (normalized.StartsWith(ClusterProtocol.ProxySelect, StringComparison.OrdinalIgnoreCase))
            return AnswerProxySelect(normalized);
        if (VariablesFetch().Match(normalized) is { Success: true } fetch)
            return AnswerVariablesFetch(fetch);
        if (normalized.StartsWith(ClusterProtocol.NodeUuidCommand, StringComparison.OrdinalIgnoreCase))
            return AnswerNodeUuid(normalized[ClusterProtocol.NodeUuidCommand.Length..], context);
        if (IsVersionQuery(normalized) && IsClusterUser(context))
            return new AdminResult.Rows(["@@version"], [[ClusterProtocol.ProxySqlVersion]]);
        return null;
    }

    public void Refresh(SqliteConnection connection, string statement)
    {
        if (statement.Contains("runtime_checksums_values", StringComparison.OrdinalIgnoreCase))
            ClusterStatsTables.WriteChecksums(connection, Checksums.Snapshot);
        if (statement.Contains("stats_proxysql_servers_", StringComparison.OrdinalIgnoreCase))
            ClusterStatsTables.WritePeers(connection, PeerViews, Clients);
    }

    /// <summary>
    /// Only the cluster user is told the ProxySQL version: peers need it to cluster with us, while a DBA's
    /// <c>SELECT @@version</c> keeps meaning the MySQL version ProxyLayer announces (mysql-server_version).
    /// </summary>
    private bool IsClusterUser(AdminSessionContext context)
    {
        var user = _runtime.Snapshot.Admin.ClusterUsername;
        return user.Length > 0 && context.Username == user;
    }

    private AdminResult AnswerProxySelect(string normalized)
    {
        var from = FromTable().Match(normalized);
        var entry = from.Success
            ? ProxySelectTables.FirstOrDefault(t => t.Table.Equals(from.Groups["table"].Value, StringComparison.OrdinalIgnoreCase))
            : default;
        if (entry.Table is null)
            return AdminResult.Error.Admin("PROXY_SELECT is only for the statements ProxySQL Cluster peers send");
        var sources = Checksums.Sources ?? new ClusterSources { Runtime = _runtime.Current, LoadedServers = [], ProxysqlServers = [] };
        var table = entry.Rows(sources);
        return new AdminResult.Rows(table.Columns, [.. table.Rows.Select(r => r.ToArray())]);
    }

    /// <summary>
    /// A peer fetching variables (ProxySQL's pull_global_variables_from_peer statement, always ending in ORDER BY
    /// variable_name): answered with what the variables checksum hashes (no ProxyLayer-only variable, values in ProxySQL's
    /// runtime text), so a ProxySQL peer computes the checksum we show. The statement alone decides the rows, whoever
    /// sends it, as in ProxySQL, where it is a plain query of runtime_global_variables: a peer logs in with its own
    /// admin-cluster_username, which need not be ours (any account of our admin-admin_credentials). What is left out is
    /// what the statement's NOT IN clauses name, that is the peer's own choice: mysql-threads (sized per host) and,
    /// unless the peer has cluster_sync_interfaces, the interface variables (addresses and ports of one host).
    /// </summary>
    private AdminResult.Rows AnswerVariablesFetch(Match fetch)
    {
        var excluded = QuotedText().Matches(fetch.Groups["rest"].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var variables = (Checksums.Sources?.Runtime ?? _runtime.Current).Variables;
        var table = ClusterTables.Variables(variables, fetch.Groups["prefix"].Value + "-", excluded.Contains);
        return new AdminResult.Rows(table.Columns, [.. table.Rows.Select(r => r.ToArray())]);
    }

    private AdminResult AnswerNodeUuid(string arguments, AdminSessionContext context)
    {
        var parts = arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !Guid.TryParse(parts[0], out _))
            return AdminResult.Error.Admin("Received PROXYSQL CLUSTER_NODE_UUID with invalid format");
        RecordClient(parts[0], context.Username, 0, parts.Length > 1 ? parts[1] : "");
        return new AdminResult.Ok();
    }

    private static bool IsVersionQuery(string normalized) =>
        normalized.Equals("SELECT @@version", StringComparison.OrdinalIgnoreCase) ||
        normalized.Equals("SELECT @@version;", StringComparison.OrdinalIgnoreCase);

    private static ClusterTable Other(ClusterSources sources, int index) =>
        sources.OtherServerTables.Length > index ? sources.OtherServerTables[index] : new ClusterTable([], []);

    [GeneratedRegex(@"^SELECT \* FROM runtime_global_variables WHERE variable_name LIKE '(?<prefix>[a-z]+)-%'(?<rest>(?: AND variable_name NOT IN \([^)]*\))*) ORDER BY variable_name$", RegexOptions.IgnoreCase)]
    private static partial Regex VariablesFetch();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedText();

    [GeneratedRegex(@"\bFROM\s+(?:main\.)?(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex FromTable();
}
