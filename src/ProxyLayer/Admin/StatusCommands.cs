namespace ProxyLayer.Admin;

/// <summary>
/// ProxySQL's status shortcuts on the admin interface. <c>SHOW MYSQL STATUS</c> and <c>SHOW [FULL] PROCESSLIST</c>
/// are the <c>stats</c> tables they show, read through the usual refresh; <c>SHOW PROMETHEUS METRICS</c> is the text
/// of <c>GET /metrics</c> as one row with one column, <c>Data</c>.
/// </summary>
internal static class StatusCommands
{
    /// <summary>The SELECT a status shortcut stands for, or null if <paramref name="normalized"/> is not one.</summary>
    public static string? TryRewrite(string normalized) => normalized.ToUpperInvariant() switch
    {
        "SHOW MYSQL STATUS" =>
            "SELECT Variable_Name AS Variable_name, Variable_Value AS Value FROM stats.stats_mysql_global ORDER BY Variable_Name",
        "SHOW FULL PROCESSLIST" => "SELECT * FROM stats.stats_mysql_processlist ORDER BY SessionID",
        "SHOW PROCESSLIST" =>
            "SELECT SessionID, user, db, hostgroup, command, time_ms, info FROM stats.stats_mysql_processlist ORDER BY SessionID",
        _ => null,
    };

    public static bool IsPrometheusMetrics(string normalized) =>
        string.Equals(normalized, "SHOW PROMETHEUS METRICS", StringComparison.OrdinalIgnoreCase);

    public static AdminResult PrometheusMetrics(IAdminLiveActions? live) => live is null
        ? AdminResult.Error.Admin("SHOW PROMETHEUS METRICS needs a running proxy")
        : new AdminResult.Rows(["Data"], [[live.PrometheusMetrics()]]);
}
