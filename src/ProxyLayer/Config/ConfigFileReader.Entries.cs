namespace ProxyLayer.Config;

/// <summary>One reader per list section; keys are ProxySQL's column names, absent keys take the table defaults.</summary>
public static partial class ConfigFileReader
{
    private static ServerConfig ReadServer(ConfigEntryReader entry)
    {
        var defaults = new ServerConfig { HostgroupId = 0, Hostname = "" };
        string hostname = entry.RequiredString("address", "hostname");
        int hostgroup = entry.RequiredInt("hostgroup", "hostgroup_id");
        string? statusText = entry.String("status");
        var status = defaults.Status;
        if (statusText is not null && !ServerStatusText.TryParse(statusText, out status))
            throw entry.Invalid("status", $"must be ONLINE, SHUNNED, OFFLINE_SOFT or OFFLINE_HARD, found \"{statusText}\"");

        return new ServerConfig
        {
            Hostname = hostname,
            HostgroupId = hostgroup,
            Port = entry.Int("port") ?? defaults.Port,
            GtidPort = entry.Int("gtid_port") ?? defaults.GtidPort,
            Status = status,
            Weight = entry.Int("weight") ?? defaults.Weight,
            Compression = entry.Bool("compression") ?? defaults.Compression,
            MaxConnections = entry.Int("max_connections") ?? defaults.MaxConnections,
            MaxReplicationLag = entry.Int("max_replication_lag") ?? defaults.MaxReplicationLag,
            UseSsl = entry.Bool("use_ssl") ?? defaults.UseSsl,
            MaxLatencyMs = entry.Int("max_latency_ms") ?? defaults.MaxLatencyMs,
            Comment = entry.String("comment") ?? defaults.Comment,
        };
    }

    private static UserConfig ReadUser(ConfigEntryReader entry)
    {
        var defaults = new UserConfig { Username = "" };
        return new UserConfig
        {
            Username = entry.RequiredString("username"),
            Password = entry.String("password"),
            Active = entry.Bool("active") ?? defaults.Active,
            UseSsl = entry.Bool("use_ssl") ?? defaults.UseSsl,
            DefaultHostgroup = entry.Int("default_hostgroup") ?? defaults.DefaultHostgroup,
            DefaultSchema = entry.String("default_schema"),
            SchemaLocked = entry.Bool("schema_locked") ?? defaults.SchemaLocked,
            TransactionPersistent = entry.Bool("transaction_persistent") ?? defaults.TransactionPersistent,
            FastForward = entry.Bool("fast_forward") ?? defaults.FastForward,
            Backend = entry.Bool("backend") ?? defaults.Backend,
            Frontend = entry.Bool("frontend") ?? defaults.Frontend,
            MaxConnections = entry.Int("max_connections") ?? defaults.MaxConnections,
            Attributes = entry.String("attributes") ?? defaults.Attributes,
            Comment = entry.String("comment") ?? defaults.Comment,
        };
    }

    private static QueryRuleConfig ReadQueryRule(ConfigEntryReader entry)
    {
        var defaults = new QueryRuleConfig { RuleId = 0 };
        return new QueryRuleConfig
        {
            RuleId = entry.RequiredInt("rule_id"),
            Active = entry.Bool("active") ?? defaults.Active,
            Username = entry.String("username"),
            Schemaname = entry.String("schemaname"),
            FlagIn = entry.Int("flagIN") ?? defaults.FlagIn,
            ClientAddr = entry.String("client_addr"),
            ProxyAddr = entry.String("proxy_addr"),
            ProxyPort = entry.Int("proxy_port"),
            Digest = entry.String("digest"),
            MatchDigest = entry.String("match_digest"),
            MatchPattern = entry.String("match_pattern"),
            NegateMatchPattern = entry.Bool("negate_match_pattern") ?? defaults.NegateMatchPattern,
            ReModifiers = entry.String("re_modifiers") ?? defaults.ReModifiers,
            FlagOut = entry.Int("flagOUT"),
            ReplacePattern = entry.String("replace_pattern"),
            DestinationHostgroup = entry.Int("destination_hostgroup"),
            CacheTtl = entry.Int("cache_ttl"),
            CacheEmptyResult = entry.Int("cache_empty_result"),
            CacheTimeout = entry.Int("cache_timeout"),
            Reconnect = entry.Int("reconnect"),
            Timeout = entry.Int("timeout"),
            Retries = entry.Int("retries"),
            Delay = entry.Int("delay"),
            NextQueryFlagIn = entry.Int("next_query_flagIN"),
            MirrorFlagOut = entry.Int("mirror_flagOUT"),
            MirrorHostgroup = entry.Int("mirror_hostgroup"),
            ErrorMsg = entry.String("error_msg"),
            OkMsg = entry.String("OK_msg"),
            StickyConn = entry.Int("sticky_conn"),
            Multiplex = entry.Int("multiplex"),
            GtidFromHostgroup = entry.Int("gtid_from_hostgroup"),
            Log = entry.Int("log"),
            Apply = entry.Bool("apply") ?? defaults.Apply,
            Attributes = entry.String("attributes") ?? defaults.Attributes,
            Comment = entry.String("comment"),
        };
    }

    /// <summary>ProxySQL 3 reads this section too; 2.x ignores it, and ProxyLayer reads it like 3.</summary>
    private static FastRoutingConfig ReadFastRouting(ConfigEntryReader entry)
    {
        var defaults = new FastRoutingConfig { Username = "", Schemaname = "", DestinationHostgroup = 0 };
        return new FastRoutingConfig
        {
            Username = entry.RequiredString("username"),
            Schemaname = entry.RequiredString("schemaname"),
            FlagIn = entry.Int("flagIN") ?? defaults.FlagIn,
            DestinationHostgroup = entry.RequiredInt("destination_hostgroup"),
            Comment = entry.String("comment") ?? defaults.Comment,
        };
    }

    private static ReplicationHostgroupConfig ReadReplicationHostgroup(ConfigEntryReader entry)
    {
        var defaults = new ReplicationHostgroupConfig { WriterHostgroup = 0, ReaderHostgroup = 0 };
        return new ReplicationHostgroupConfig
        {
            WriterHostgroup = entry.RequiredInt("writer_hostgroup"),
            ReaderHostgroup = entry.RequiredInt("reader_hostgroup"),
            CheckType = entry.String("check_type") ?? defaults.CheckType,
            Comment = entry.String("comment") ?? defaults.Comment,
        };
    }

    /// <summary>
    /// ProxySQL requires <c>id</c> and <c>filename</c>; its <c>interval_ms</c> defaults to 0, which the table's CHECK then
    /// refuses without a word, so here a missing or out-of-range interval is an error naming the line.
    /// </summary>
    private static SchedulerJobConfig ReadSchedulerJob(ConfigEntryReader entry)
    {
        int id = entry.RequiredInt("id");
        string filename = entry.RequiredString("filename");
        int interval = entry.RequiredInt("interval_ms");
        if (interval is < SchedulerJobConfig.MinIntervalMs or > SchedulerJobConfig.MaxIntervalMs)
            throw entry.Invalid("interval_ms", $"must be {SchedulerJobConfig.MinIntervalMs}..{SchedulerJobConfig.MaxIntervalMs}, found {interval}");
        return new SchedulerJobConfig
        {
            Id = id,
            Active = entry.Bool("active") ?? true,
            IntervalMs = interval,
            Filename = filename,
            Arg1 = entry.String("arg1"),
            Arg2 = entry.String("arg2"),
            Arg3 = entry.String("arg3"),
            Arg4 = entry.String("arg4"),
            Arg5 = entry.String("arg5"),
            Comment = entry.String("comment") ?? "",
        };
    }

    /// <summary>
    /// ProxySQL's <c>restapi</c> list: <c>id</c>, <c>method</c>, <c>uri</c> and <c>script</c> required, <c>timeout_ms</c>
    /// (or its older name <c>interval_ms</c>) required here too, since ProxySQL's default of 0 fails the table's CHECK.
    /// </summary>
    private static RestapiRouteConfig ReadRestapiRoute(ConfigEntryReader entry)
    {
        int id = entry.RequiredInt("id");
        int timeout = entry.Int("interval_ms") ?? entry.RequiredInt("timeout_ms");
        if (timeout is < RestapiRouteConfig.MinTimeoutMs or > RestapiRouteConfig.MaxTimeoutMs)
            throw entry.Invalid("timeout_ms", $"must be {RestapiRouteConfig.MinTimeoutMs}..{RestapiRouteConfig.MaxTimeoutMs}, found {timeout}");
        var method = entry.RequiredString("method");
        if (method.ToUpperInvariant() is not ("GET" or "POST"))
            throw entry.Invalid("method", $"must be GET or POST, found '{method}'");
        return new RestapiRouteConfig
        {
            Id = id,
            Active = entry.Bool("active") ?? true,
            TimeoutMs = timeout,
            Method = method,
            Uri = entry.RequiredString("uri"),
            Script = entry.RequiredString("script"),
            Comment = entry.String("comment") ?? "",
        };
    }

    private static GaleraHostgroupConfig ReadGaleraHostgroup(ConfigEntryReader entry)
    {
        var defaults = new GaleraHostgroupConfig { WriterHostgroup = 0, BackupWriterHostgroup = 0, ReaderHostgroup = 0, OfflineHostgroup = 0 };
        return new GaleraHostgroupConfig
        {
            WriterHostgroup = entry.RequiredInt("writer_hostgroup"),
            BackupWriterHostgroup = entry.RequiredInt("backup_writer_hostgroup"),
            ReaderHostgroup = entry.RequiredInt("reader_hostgroup"),
            OfflineHostgroup = entry.RequiredInt("offline_hostgroup"),
            Active = (entry.Int("active") ?? 1) != 0,
            MaxWriters = entry.Int("max_writers") ?? defaults.MaxWriters,
            WriterIsAlsoReader = entry.Int("writer_is_also_reader") ?? defaults.WriterIsAlsoReader,
            MaxTransactionsBehind = entry.Int("max_transactions_behind") ?? defaults.MaxTransactionsBehind,
            Comment = entry.String("comment") ?? defaults.Comment,
        };
    }
}
