using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// The <c>mysql-*</c> variables the server uses, typed and range-checked. Times are milliseconds unless the name says
/// otherwise. Built only through <see cref="Parse"/>, so an instance is always valid.
/// </summary>
public sealed record MySqlVariables
{
    private const int Day = 24 * 3600 * 1000;
    private const int Week = 7 * Day;

    public required ImmutableArray<ListenEndpoint> Interfaces { get; init; }
    public required int Threads { get; init; }
    public required int MaxConnections { get; init; }
    /// <summary>The version the greeting announces; empty (ProxyLayer's default): the backends' own.</summary>
    public required string ServerVersion { get; init; }
    public required string DefaultSchema { get; init; }
    public required string DefaultCharset { get; init; }
    public required bool HaveCompress { get; init; }
    public required bool HaveSsl { get; init; }
    /// <summary>The plugin the greeting names, and the one clients are switched to when neither they nor the stored password say.</summary>
    public required string DefaultAuthenticationPlugin { get; init; }
    public required int PollTimeout { get; init; }
    public required int Stacksize { get; init; }

    public required int ConnectTimeoutServer { get; init; }
    public required int ConnectTimeoutServerMax { get; init; }
    public required int ConnectRetriesOnFailure { get; init; }
    public required int ConnectRetriesDelay { get; init; }
    public required int ConnectTimeoutClient { get; init; }
    /// <summary>Addresses remembered with their failed logins; 0 turns the cache (and the blocking) off, as in ProxySQL.</summary>
    public required int ClientHostCacheSize { get; init; }
    /// <summary>Failed logins after which an address in the cache is refused at connect.</summary>
    public required int ClientHostErrorCounts { get; init; }
    public required int PingIntervalServerMsec { get; init; }
    public required int PingTimeoutServer { get; init; }

    public required bool MonitorEnabled { get; init; }
    public required string MonitorUsername { get; init; }
    public required string MonitorPassword { get; init; }
    public required int MonitorHistory { get; init; }
    public required int MonitorConnectInterval { get; init; }
    public required int MonitorConnectTimeout { get; init; }
    public required int MonitorPingInterval { get; init; }
    public required int MonitorPingTimeout { get; init; }
    public required int MonitorPingMaxFailures { get; init; }
    public required int MonitorReadOnlyInterval { get; init; }
    public required int MonitorReadOnlyTimeout { get; init; }
    public required int MonitorReadOnlyMaxTimeoutCount { get; init; }
    public required int MonitorReplicationLagInterval { get; init; }
    public required int MonitorReplicationLagTimeout { get; init; }
    public required int MonitorReplicationLagCount { get; init; }
    /// <summary>Seconds of lag assumed when the replica reports NULL.</summary>
    public required int MonitorSlaveLagWhenNull { get; init; }
    public required bool MonitorWriterIsAlsoReader { get; init; }
    /// <summary>ProxyLayer only: a second read_only=0 server is kept out of a writer hostgroup that has a live writer.</summary>
    public required bool MonitorWriterFencing { get; init; }
    public int MonitorGaleraHealthcheckInterval { get; init; } = 5000;
    public int MonitorGaleraHealthcheckTimeout { get; init; } = 800;
    /// <summary>Consecutive timed-out Galera checks (counted over the last ten at most) that set a node offline.</summary>
    public int MonitorGaleraHealthcheckMaxTimeoutCount { get; init; } = 3;
    /// <summary>ProxyLayer only: how often each server's applied GTID position is read while read-your-writes is in use.</summary>
    public required int MonitorGtidInterval { get; init; }

    /// <summary>ProxyLayer only: reads routed away from the hostgroup a session wrote to see that session's writes.</summary>
    public required bool ReadYourWrites { get; init; }
    /// <summary>True: with no replica known to have the write, wait on one (MASTER_GTID_WAIT) before the writer; false: the writer at once.</summary>
    public required bool ReadYourWritesWaits { get; init; }
    public required int ReadYourWritesWaitTimeoutMs { get; init; }

    public required int ShunOnFailures { get; init; }
    public required int ShunRecoveryTimeSec { get; init; }
    public required int QueryRetriesOnFailure { get; init; }
    public required int FreeConnectionsPct { get; init; }
    public required bool Multiplexing { get; init; }
    public required int ConnectionMaxAgeMs { get; init; }
    public required int DefaultQueryTimeout { get; init; }
    public required int DefaultQueryDelay { get; init; }
    public required int MaxAllowedPacket { get; init; }
    /// <summary>Prepared statements one backend connection keeps open (ProxySQL's mysql-max_stmts_per_connection).</summary>
    public required int MaxStmtsPerConnection { get; init; }
    public required int MaxTransactionTime { get; init; }
    public required int DefaultMaxLatencyMs { get; init; }
    public required int WaitTimeout { get; init; }
    public required int SessionIdleMs { get; init; }
    public required bool SessionsSort { get; init; }

    /// <summary>TLS to backends with <c>use_ssl=1</c> (<c>mysql-ssl_p2s_*</c>): file paths and an OpenSSL cipher list; empty means unset.</summary>
    public required string SslP2sCa { get; init; }
    public required string SslP2sCapath { get; init; }
    public required string SslP2sCert { get; init; }
    public required string SslP2sKey { get; init; }
    public required string SslP2sCipher { get; init; }
    public required string SslP2sCrl { get; init; }
    public required string SslP2sCrlpath { get; init; }

    public required bool CommandsStats { get; init; }
    public required bool QueryDigests { get; init; }
    public required bool QueryDigestsLowercase { get; init; }
    public required bool QueryDigestsNoDigits { get; init; }
    public required int QueryDigestsMaxDigestLength { get; init; }
    public required int QueryDigestsMaxQueryLength { get; init; }
    public required int QueryDigestsGroupingLimit { get; init; }

    /// <summary>The query cache's memory budget in MB.</summary>
    public required int QueryCacheSizeMB { get; init; }
    /// <summary>After this % of an entry's ttl, one client refreshes it from the backend while the others still get it (0 = off).</summary>
    public required int QueryCacheSoftTtlPct { get; init; }
    /// <summary>1: results with warnings are cached too (their warning count stored as 0); 0: they are not cached.</summary>
    public required int QueryCacheHandleWarnings { get; init; }
    public required bool QueryCacheStoresEmptyResult { get; init; }

    /// <summary>Mirrored statements running at once; further ones wait in the queue.</summary>
    public required int MirrorMaxConcurrency { get; init; }
    /// <summary>Mirrored statements that may wait; when the queue is full a new mirror is dropped (and counted).</summary>
    public required int MirrorMaxQueueLength { get; init; }

    /// <summary>Base name of the events log (relative to the data directory unless absolute); empty: no events log.</summary>
    public required string EventslogFilename { get; init; }
    /// <summary>A file that grows past this many bytes is closed and the next one (<c>name.00000002</c>, …) opened.</summary>
    public required int EventslogFilesize { get; init; }
    /// <summary>1: statements whose rules leave <c>log</c> unset are logged too.</summary>
    public required int EventslogDefaultLog { get; init; }
    /// <summary>1: ProxySQL's binary format; 2: one JSON object per line.</summary>
    public required int EventslogFormat { get; init; }

    /// <summary>
    /// Types and checks every <c>mysql-*</c> entry of <paramref name="variables"/> (other prefixes are ignored);
    /// anything not given takes its default. Unknown names and bad values are errors.
    /// </summary>
    public static VariablesParseResult<MySqlVariables> Parse(IReadOnlyDictionary<string, string> variables)
    {
        var v = new VariableReader(variables, "mysql-");
        var parsed = new MySqlVariables
        {
            // ProxySQL treats an empty interfaces list as its standard port on all addresses.
            Interfaces = v.Endpoints("interfaces", whenEmpty: "0.0.0.0:6033"),
            Threads = v.Int("threads", 1, 255),
            MaxConnections = v.Int("max_connections", 1, 1_000_000),
            ServerVersion = v.Text("server_version"),
            DefaultSchema = v.Text("default_schema"),
            DefaultCharset = v.Text("default_charset"),
            HaveCompress = v.Bool("have_compress"),
            HaveSsl = v.Bool("have_ssl"),
            DefaultAuthenticationPlugin = v.OneOf("default_authentication_plugin",
                Protocol.AuthPlugins.MysqlNativePassword, Protocol.AuthPlugins.CachingSha2Password),
            PollTimeout = v.Int("poll_timeout", 10, 20_000),
            Stacksize = v.Int("stacksize", 256 * 1024, 4 * 1024 * 1024),

            ConnectTimeoutServer = v.Int("connect_timeout_server", 10, 120_000),
            ConnectTimeoutServerMax = v.Int("connect_timeout_server_max", 10, 3_600_000),
            ConnectRetriesOnFailure = v.Int("connect_retries_on_failure", 0, 1000),
            ConnectRetriesDelay = v.Int("connect_retries_delay", 0, 10_000),
            ConnectTimeoutClient = v.Int("connect_timeout_client", 500, 3_600_000),
            ClientHostCacheSize = v.Int("client_host_cache_size", 0, 1024 * 1024),
            ClientHostErrorCounts = v.Int("client_host_error_counts", 0, 1024 * 1024),
            PingIntervalServerMsec = v.Int("ping_interval_server_msec", 1000, Week),
            PingTimeoutServer = v.Int("ping_timeout_server", 10, 600_000),

            MonitorEnabled = v.Bool("monitor_enabled"),
            MonitorUsername = v.Text("monitor_username"),
            MonitorPassword = v.Text("monitor_password"),
            MonitorHistory = v.Int("monitor_history", 1000, Week),
            MonitorConnectInterval = v.Int("monitor_connect_interval", 100, Week),
            MonitorConnectTimeout = v.Int("monitor_connect_timeout", 100, 600_000),
            MonitorPingInterval = v.Int("monitor_ping_interval", 100, Week),
            MonitorPingTimeout = v.Int("monitor_ping_timeout", 100, 600_000),
            MonitorPingMaxFailures = v.Int("monitor_ping_max_failures", 1, 1_000_000),
            MonitorReadOnlyInterval = v.Int("monitor_read_only_interval", 100, Week),
            MonitorReadOnlyTimeout = v.Int("monitor_read_only_timeout", 100, 600_000),
            MonitorReadOnlyMaxTimeoutCount = v.Int("monitor_read_only_max_timeout_count", 1, 1_000_000),
            MonitorReplicationLagInterval = v.Int("monitor_replication_lag_interval", 100, Week),
            MonitorReplicationLagTimeout = v.Int("monitor_replication_lag_timeout", 100, 600_000),
            MonitorReplicationLagCount = v.Int("monitor_replication_lag_count", 1, 10),
            MonitorSlaveLagWhenNull = v.Int("monitor_slave_lag_when_null", 0, 604_800),
            MonitorWriterIsAlsoReader = v.Bool("monitor_writer_is_also_reader"),
            MonitorWriterFencing = v.Bool("monitor_writer_fencing"),
            MonitorGaleraHealthcheckInterval = v.Int("monitor_galera_healthcheck_interval", 50, Week),
            MonitorGaleraHealthcheckTimeout = v.Int("monitor_galera_healthcheck_timeout", 50, 600_000),
            MonitorGaleraHealthcheckMaxTimeoutCount = v.Int("monitor_galera_healthcheck_max_timeout_count", 1, 1_000_000),
            MonitorGtidInterval = v.Int("monitor_gtid_interval", 10, Week),
            ReadYourWrites = v.Bool("read_your_writes"),
            ReadYourWritesWaits = v.OneOf("read_your_writes_fallback", "wait", "writer") == "wait",
            ReadYourWritesWaitTimeoutMs = v.Int("read_your_writes_wait_timeout_ms", 1, 3_600_000),

            ShunOnFailures = v.Int("shun_on_failures", 0, 10_000_000),
            ShunRecoveryTimeSec = v.Int("shun_recovery_time_sec", 0, 31_536_000),
            QueryRetriesOnFailure = v.Int("query_retries_on_failure", 0, 1000),
            FreeConnectionsPct = v.Int("free_connections_pct", 0, 100),
            Multiplexing = v.Bool("multiplexing"),
            ConnectionMaxAgeMs = v.Int("connection_max_age_ms", 0, Week),
            DefaultQueryTimeout = v.Int("default_query_timeout", 1000, 20 * Day),
            DefaultQueryDelay = v.Int("default_query_delay", 0, 3_600_000),
            MaxAllowedPacket = v.Int("max_allowed_packet", 8192, 1024 * 1024 * 1024),
            MaxStmtsPerConnection = v.Int("max_stmts_per_connection", 1, 1024),
            MaxTransactionTime = v.Int("max_transaction_time", 1000, 20 * Day),
            DefaultMaxLatencyMs = v.Int("default_max_latency_ms", 0, 20 * Day),
            WaitTimeout = v.Int("wait_timeout", 0, 20 * Day),
            SessionIdleMs = v.Int("session_idle_ms", 1, 3_600_000),
            SessionsSort = v.Bool("sessions_sort"),

            SslP2sCa = v.Text("ssl_p2s_ca"),
            SslP2sCapath = v.Text("ssl_p2s_capath"),
            SslP2sCert = v.Text("ssl_p2s_cert"),
            SslP2sKey = v.Text("ssl_p2s_key"),
            SslP2sCipher = v.Text("ssl_p2s_cipher"),
            SslP2sCrl = v.Text("ssl_p2s_crl"),
            SslP2sCrlpath = v.Text("ssl_p2s_crlpath"),

            CommandsStats = v.Bool("commands_stats"),
            QueryDigests = v.Bool("query_digests"),
            QueryDigestsLowercase = v.Bool("query_digests_lowercase"),
            QueryDigestsNoDigits = v.Bool("query_digests_no_digits"),
            QueryDigestsMaxDigestLength = v.Int("query_digests_max_digest_length", 16, 1024 * 1024),
            QueryDigestsMaxQueryLength = v.Int("query_digests_max_query_length", 16, 1024 * 1024),
            QueryDigestsGroupingLimit = v.Int("query_digests_grouping_limit", 1, 2089),

            // Ranges as ProxySQL checks them on LOAD.
            QueryCacheSizeMB = v.Int("query_cache_size_MB", 0, 10 * 1024 * 1024),
            QueryCacheSoftTtlPct = v.Int("query_cache_soft_ttl_pct", 0, 100),
            QueryCacheHandleWarnings = v.Int("query_cache_handle_warnings", 0, 1),
            QueryCacheStoresEmptyResult = v.Bool("query_cache_stores_empty_result"),

            MirrorMaxConcurrency = v.Int("mirror_max_concurrency", 1, 8 * 1024),
            MirrorMaxQueueLength = v.Int("mirror_max_queue_length", 0, 1024 * 1024),

            EventslogFilename = v.Text("eventslog_filename"),
            EventslogFilesize = v.Int("eventslog_filesize", 1024 * 1024, 1024 * 1024 * 1024),
            EventslogDefaultLog = v.Int("eventslog_default_log", 0, 1),
            EventslogFormat = v.Int("eventslog_format", 1, 2),
        };
        return v.Finish(parsed);
    }
}
