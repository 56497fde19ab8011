using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>The <c>admin-*</c> variables, typed and checked. Built only through <see cref="Parse"/>.</summary>
public sealed record AdminVariables
{
    public required ImmutableArray<Credential> AdminCredentials { get; init; }
    public required ImmutableArray<Credential> StatsCredentials { get; init; }
    public required ImmutableArray<ListenEndpoint> MysqlIfaces { get; init; }
    /// <summary>Milliseconds between refreshes of stats tables.</summary>
    public required int RefreshInterval { get; init; }
    public required bool ReadOnly { get; init; }
    /// <summary>Reported by <c>SELECT @@admin-version</c>; read-only.</summary>
    public required string Version { get; init; }
    public required bool VacuumStats { get; init; }
    public required string ClusterUsername { get; init; }
    public required string ClusterPassword { get; init; }
    public required int ClusterCheckIntervalMs { get; init; }
    public required bool RestapiEnabled { get; init; }
    public required int RestapiPort { get; init; }
    public required bool WebEnabled { get; init; }
    public required int WebPort { get; init; }
    /// <summary>LOAD MYSQL USERS TO RUNTIME stores clear-text passwords hashed.</summary>
    public required bool HashPasswords { get; init; }
    /// <summary>The admin interface offers TLS (the MySQL interface's certificate).</summary>
    public required bool HaveSsl { get; init; }
    /// <summary>The admin interface refuses a login that is not over TLS.</summary>
    public required bool SslRequired { get; init; }
    /// <summary>A scheduler program still running after this many milliseconds is killed (ProxyLayer's own variable).</summary>
    public required int SchedulerTimeoutMs { get; init; }
    /// <summary>Seconds between <c>stats_history.mysql_connections</c> rows (0: none), rounded as ProxySQL does.</summary>
    public required int StatsMysqlConnections { get; init; }
    /// <summary>Seconds between <c>stats_history.system_memory</c> rows (0: none), rounded as ProxySQL does.</summary>
    public required int StatsSystemMemory { get; init; }
    /// <summary>Seconds between <c>stats_history.system_cpu</c> rows (0: none), rounded as ProxySQL does.</summary>
    public required int StatsSystemCpu { get; init; }
    /// <summary>Seconds between <c>stats_history.mysql_query_cache</c> rows (0: none), rounded as ProxySQL does.</summary>
    public required int StatsMysqlQueryCache { get; init; }
    /// <summary>Seconds between automatic <c>SAVE MYSQL DIGEST TO DISK</c>s (0: never); not rounded, as in ProxySQL.</summary>
    public required int StatsMysqlQueryDigestToDisk { get; init; }

    /// <summary>Types and checks every <c>admin-*</c> entry (other prefixes ignored) over the defaults.</summary>
    public static VariablesParseResult<AdminVariables> Parse(IReadOnlyDictionary<string, string> variables)
    {
        var v = new VariableReader(variables, "admin-");
        var parsed = new AdminVariables
        {
            AdminCredentials = v.Credentials("admin_credentials"),
            StatsCredentials = v.Credentials("stats_credentials"),
            MysqlIfaces = v.Endpoints("mysql_ifaces"),
            RefreshInterval = v.Int("refresh_interval", 100, 100_000),
            ReadOnly = v.Bool("read_only"),
            Version = v.Text("version"),
            VacuumStats = v.Bool("vacuum_stats"),
            ClusterUsername = v.Text("cluster_username"),
            ClusterPassword = v.Text("cluster_password"),
            ClusterCheckIntervalMs = v.Int("cluster_check_interval_ms", 10, 300_000),
            RestapiEnabled = v.Bool("restapi_enabled"),
            RestapiPort = v.Int("restapi_port", 0, 65535),
            WebEnabled = v.Bool("web_enabled"),
            WebPort = v.Int("web_port", 0, 65535),
            HashPasswords = v.Bool("hash_passwords"),
            HaveSsl = v.Bool("have_ssl"),
            SslRequired = v.Bool("ssl_required"),
            SchedulerTimeoutMs = v.Int("scheduler_timeout_ms", 100, 86_400_000),
            StatsMysqlConnections = HistoryInterval(v.Int("stats_mysql_connections", 0, 300)),
            StatsSystemMemory = HistoryInterval(v.Int("stats_system_memory", 0, 600)),
            StatsSystemCpu = HistoryInterval(v.Int("stats_system_cpu", 0, 600)),
            StatsMysqlQueryCache = HistoryInterval(v.Int("stats_mysql_query_cache", 0, 300)),
            StatsMysqlQueryDigestToDisk = v.Int("stats_mysql_query_digest_to_disk", 0, 24 * 3600),
        };
        return v.Finish(parsed);
    }

    /// <summary>ProxySQL samples history only at these periods: a value in between is rounded up to the next.</summary>
    private static int HistoryInterval(int seconds) =>
        seconds <= 1 ? seconds : Array.Find([5, 10, 30, 60, 120, 300, 600], step => seconds <= step);
}
