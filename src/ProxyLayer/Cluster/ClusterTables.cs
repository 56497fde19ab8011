using System.Globalization;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>
/// The result sets a node serves to peers and checksums, built from the runtime configuration with the columns,
/// filters, order and text ProxySQL 2.7 uses (the <c>CLUSTER_QUERY_*</c> statements of ProxySQL_Cluster.hpp). Integers
/// print as SQLite prints them, booleans as 0/1, SQL NULL as null.
/// </summary>
internal static class ClusterTables
{
    public static readonly string[] QueryRuleColumns =
    [
        "rule_id", "username", "schemaname", "flagIN", "client_addr", "proxy_addr", "proxy_port", "digest", "match_digest",
        "match_pattern", "negate_match_pattern", "re_modifiers", "flagOUT", "replace_pattern", "destination_hostgroup",
        "cache_ttl", "cache_empty_result", "cache_timeout", "reconnect", "timeout", "retries", "delay", "next_query_flagIN",
        "mirror_flagOUT", "mirror_hostgroup", "error_msg", "OK_msg", "sticky_conn", "multiplex", "gtid_from_hostgroup", "log",
        "apply", "attributes", "comment",
    ];

    public static readonly string[] FastRoutingColumns = ["username", "schemaname", "flagIN", "destination_hostgroup", "comment"];

    public static readonly string[] ServerColumns =
    [
        "hostgroup_id", "hostname", "port", "gtid_port", "status", "weight", "compression", "max_connections",
        "max_replication_lag", "use_ssl", "max_latency_ms", "comment",
    ];

    public static readonly string[] ReplicationHostgroupColumns = ["writer_hostgroup", "reader_hostgroup", "check_type", "comment"];

    public static readonly string[] UserColumns =
    [
        "username", "password", "use_ssl", "default_hostgroup", "default_schema", "schema_locked", "transaction_persistent",
        "fast_forward", "backend", "frontend", "max_connections", "attributes", "comment",
    ];

    public static readonly string[] ProxysqlServerColumns = ["hostname", "port", "weight", "comment"];

    public static readonly string[] VariableColumns = ["variable_name", "variable_value"];

    /// <summary>Active rules in rule_id order (the runtime holds only active ones).</summary>
    public static ClusterTable QueryRules(IEnumerable<QueryRuleConfig> rules) => new(QueryRuleColumns,
        [.. rules.Where(r => r.Active).OrderBy(r => r.RuleId).Select(q => Row(
            q.RuleId, q.Username, q.Schemaname, q.FlagIn, q.ClientAddr, q.ProxyAddr, q.ProxyPort, q.Digest, q.MatchDigest,
            q.MatchPattern, q.NegateMatchPattern, q.ReModifiers, q.FlagOut, q.ReplacePattern, q.DestinationHostgroup,
            q.CacheTtl, q.CacheEmptyResult, q.CacheTimeout, q.Reconnect, q.Timeout, q.Retries, q.Delay, q.NextQueryFlagIn,
            q.MirrorFlagOut, q.MirrorHostgroup, q.ErrorMsg, q.OkMsg, q.StickyConn, q.Multiplex, q.GtidFromHostgroup, q.Log,
            q.Apply, q.Attributes, q.Comment))]);

    public static ClusterTable FastRouting(IEnumerable<FastRoutingConfig> entries) => new(FastRoutingColumns,
        [.. entries.OrderBy(f => f.Username, StringComparer.Ordinal).ThenBy(f => f.Schemaname, StringComparer.Ordinal).ThenBy(f => f.FlagIn)
            .Select(f => Row(f.Username, f.Schemaname, f.FlagIn, f.DestinationHostgroup, f.Comment))]);

    /// <summary>
    /// Servers as peers compare them: OFFLINE_HARD left out and SHUNNED shown as ONLINE, since both are local, passing
    /// states (ProxySQL's MYHGM_GEN_CLUSTER_ADMIN_* statements do the same).
    /// </summary>
    public static ClusterTable Servers(IEnumerable<ServerConfig> servers) => new(ServerColumns,
        [.. servers.Where(s => s.Status != ServerStatus.OfflineHard)
            .OrderBy(s => s.HostgroupId).ThenBy(s => s.Hostname, StringComparer.Ordinal).ThenBy(s => s.Port)
            .Select(s => Row(s.HostgroupId, s.Hostname, s.Port, s.GtidPort,
                ServerStatusText.ToText(s.Status == ServerStatus.Shunned ? ServerStatus.Online : s.Status), s.Weight, s.Compression,
                s.MaxConnections, s.MaxReplicationLag, s.UseSsl, s.MaxLatencyMs, s.Comment))]);

    public static ClusterTable ReplicationHostgroups(IEnumerable<ReplicationHostgroupConfig> hostgroups) => new(ReplicationHostgroupColumns,
        [.. hostgroups.OrderBy(h => h.WriterHostgroup).Select(h => Row(h.WriterHostgroup, h.ReaderHostgroup, h.CheckType, h.Comment))]);

    /// <summary>The users the runtime authenticates: active, with a default hostgroup ≥ 0; NULL text shown as ''.</summary>
    public static ClusterTable Users(IEnumerable<UserConfig> users) => new(UserColumns,
        [.. users.Where(u => u.Active && u.DefaultHostgroup >= 0).Select(u => Row(
            u.Username, u.Password ?? "", u.UseSsl, u.DefaultHostgroup, u.DefaultSchema ?? "", u.SchemaLocked,
            u.TransactionPersistent, u.FastForward, u.Backend, u.Frontend, Math.Max(0, u.MaxConnections), u.Attributes, u.Comment))]);

    public static ClusterTable ProxysqlServers(IEnumerable<ProxysqlServerConfig> servers) => new(ProxysqlServerColumns,
        [.. servers.OrderBy(s => s.Hostname, StringComparer.Ordinal).ThenBy(s => s.Port).Select(s => Row(s.Hostname, s.Port, s.Weight, s.Comment))]);

    /// <summary>
    /// One module's variables in name order, without those kept per node: <c>mysql-threads</c> always, the interfaces
    /// unless <c>cluster_sync_interfaces</c> (ProxySQL's CLUSTER_SYNC_INTERFACES_* lists).
    /// </summary>
    public static ClusterTable Variables(IEnumerable<KeyValuePair<string, string>> variables, string prefix, bool syncInterfaces) =>
        Variables(variables, prefix, name => IsLocalOnly(name, syncInterfaces));

    /// <summary>
    /// The variables of one prefix as ProxySQL's runtime_global_variables shows them (ordered by name, values in
    /// ProxySQL's runtime text), without <paramref name="excluded"/> ones and without ProxyLayer's own.
    /// </summary>
    public static ClusterTable Variables(IEnumerable<KeyValuePair<string, string>> variables, string prefix, Func<string, bool> excluded) =>
        new(VariableColumns,
        [.. variables.Where(v => v.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !excluded(v.Key) && !VariableDefaults.IsProxyLayerOnly(v.Key))
            .OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => Row(v.Key, ClusterVariableText.AsProxySql(v.Key, v.Value)))]);

    public static bool IsLocalOnly(string name, bool syncInterfaces) =>
        name.Equals("mysql-threads", StringComparison.OrdinalIgnoreCase) || (!syncInterfaces && InterfaceVariables.Contains(name));

    /// <summary>ProxySQL 2.7's CLUSTER_SYNC_INTERFACES_ADMIN (proxysql_glovars.hpp).</summary>
    public static readonly string[] AdminInterfaceVariables =
        ["admin-mysql_ifaces", "admin-restapi_port", "admin-telnet_admin_ifaces", "admin-telnet_stats_ifaces", "admin-web_port"];

    /// <summary>ProxySQL 2.7's CLUSTER_SYNC_INTERFACES_MYSQL (proxysql_glovars.hpp).</summary>
    public static readonly string[] MysqlInterfaceVariables = ["mysql-interfaces"];

    private static readonly HashSet<string> InterfaceVariables =
        new([.. AdminInterfaceVariables, .. MysqlInterfaceVariables], StringComparer.OrdinalIgnoreCase);

    private static string?[] Row(params object?[] values) => [.. values.Select(Text)];

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool flag => flag ? "1" : "0",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        string text => text,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
