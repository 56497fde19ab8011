using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>The config tables that have a record in <see cref="ProxyConfig"/>, with every column mapped.</summary>
internal static class ConfigTableMaps
{
    public static TableMap<ServerConfig> Servers { get; } = new(
        "mysql_servers",
        ["hostgroup_id", "hostname", "port", "gtid_port", "status", "weight", "compression", "max_connections",
         "max_replication_lag", "use_ssl", "max_latency_ms", "comment"],
        s => [s.HostgroupId, s.Hostname, s.Port, s.GtidPort, ServerStatusText.ToText(s.Status), s.Weight, s.Compression,
              s.MaxConnections, s.MaxReplicationLag, s.UseSsl, s.MaxLatencyMs, s.Comment],
        r => new ServerConfig
        {
            HostgroupId = r.Int("hostgroup_id"),
            Hostname = r.Text("hostname"),
            Port = r.Int("port"),
            GtidPort = r.Int("gtid_port"),
            Status = r.ServerStatus("status"),
            Weight = r.Int("weight"),
            Compression = r.Bool("compression"),
            MaxConnections = r.Int("max_connections"),
            MaxReplicationLag = r.Int("max_replication_lag"),
            UseSsl = r.Bool("use_ssl"),
            MaxLatencyMs = r.Int("max_latency_ms"),
            Comment = r.Text("comment"),
        },
        r => $"hostgroup_id={r.Raw("hostgroup_id")}, hostname={r.Raw("hostname")}, port={r.Raw("port")}");

    public static TableMap<UserConfig> Users { get; } = new(
        "mysql_users",
        ["username", "password", "active", "use_ssl", "default_hostgroup", "default_schema", "schema_locked",
         "transaction_persistent", "fast_forward", "backend", "frontend", "max_connections", "attributes", "comment"],
        u => [u.Username, u.Password, u.Active, u.UseSsl, u.DefaultHostgroup, u.DefaultSchema, u.SchemaLocked,
              u.TransactionPersistent, u.FastForward, u.Backend, u.Frontend, u.MaxConnections, u.Attributes, u.Comment],
        r => new UserConfig
        {
            Username = r.Text("username"),
            Password = r.NullableText("password"),
            Active = r.Bool("active"),
            UseSsl = r.Bool("use_ssl"),
            DefaultHostgroup = r.Int("default_hostgroup"),
            DefaultSchema = r.NullableText("default_schema"),
            SchemaLocked = r.Bool("schema_locked"),
            TransactionPersistent = r.Bool("transaction_persistent"),
            FastForward = r.Bool("fast_forward"),
            Backend = r.Bool("backend"),
            Frontend = r.Bool("frontend"),
            MaxConnections = r.Int("max_connections"),
            Attributes = r.Text("attributes"),
            Comment = r.Text("comment"),
        },
        r => $"username={r.Raw("username")}, backend={r.Raw("backend")}");

    public static TableMap<QueryRuleConfig> QueryRules { get; } = new(
        "mysql_query_rules",
        ["rule_id", "active", "username", "schemaname", "flagIN", "client_addr", "proxy_addr", "proxy_port", "digest",
         "match_digest", "match_pattern", "negate_match_pattern", "re_modifiers", "flagOUT", "replace_pattern",
         "destination_hostgroup", "cache_ttl", "cache_empty_result", "cache_timeout", "reconnect", "timeout", "retries",
         "delay", "next_query_flagIN", "mirror_flagOUT", "mirror_hostgroup", "error_msg", "OK_msg", "sticky_conn",
         "multiplex", "gtid_from_hostgroup", "log", "apply", "attributes", "comment"],
        q => [q.RuleId, q.Active, q.Username, q.Schemaname, q.FlagIn, q.ClientAddr, q.ProxyAddr, q.ProxyPort, q.Digest,
              q.MatchDigest, q.MatchPattern, q.NegateMatchPattern, q.ReModifiers, q.FlagOut, q.ReplacePattern,
              q.DestinationHostgroup, q.CacheTtl, q.CacheEmptyResult, q.CacheTimeout, q.Reconnect, q.Timeout, q.Retries,
              q.Delay, q.NextQueryFlagIn, q.MirrorFlagOut, q.MirrorHostgroup, q.ErrorMsg, q.OkMsg, q.StickyConn,
              q.Multiplex, q.GtidFromHostgroup, q.Log, q.Apply, q.Attributes, q.Comment],
        r => new QueryRuleConfig
        {
            RuleId = r.Int("rule_id"),
            Active = r.Bool("active"),
            Username = r.NullableText("username"),
            Schemaname = r.NullableText("schemaname"),
            FlagIn = r.Int("flagIN"),
            ClientAddr = r.NullableText("client_addr"),
            ProxyAddr = r.NullableText("proxy_addr"),
            ProxyPort = r.NullableInt("proxy_port"),
            Digest = r.NullableText("digest"),
            MatchDigest = r.NullableText("match_digest"),
            MatchPattern = r.NullableText("match_pattern"),
            NegateMatchPattern = r.Bool("negate_match_pattern"),
            ReModifiers = r.NullableText("re_modifiers"),
            FlagOut = r.NullableInt("flagOUT"),
            ReplacePattern = r.NullableText("replace_pattern"),
            DestinationHostgroup = r.NullableInt("destination_hostgroup"),
            CacheTtl = r.NullableInt("cache_ttl"),
            CacheEmptyResult = r.NullableInt("cache_empty_result"),
            CacheTimeout = r.NullableInt("cache_timeout"),
            Reconnect = r.NullableInt("reconnect"),
            Timeout = r.NullableInt("timeout"),
            Retries = r.NullableInt("retries"),
            Delay = r.NullableInt("delay"),
            NextQueryFlagIn = r.NullableInt("next_query_flagIN"),
            MirrorFlagOut = r.NullableInt("mirror_flagOUT"),
            MirrorHostgroup = r.NullableInt("mirror_hostgroup"),
            ErrorMsg = r.NullableText("error_msg"),
            OkMsg = r.NullableText("OK_msg"),
            StickyConn = r.NullableInt("sticky_conn"),
            Multiplex = r.NullableInt("multiplex"),
            GtidFromHostgroup = r.NullableInt("gtid_from_hostgroup"),
            Log = r.NullableInt("log"),
            Apply = r.Bool("apply"),
            Attributes = r.Text("attributes"),
            Comment = r.NullableText("comment"),
        },
        r => $"rule_id={r.Raw("rule_id")}");

    public static TableMap<FastRoutingConfig> FastRouting { get; } = new(
        "mysql_query_rules_fast_routing",
        ["username", "schemaname", "flagIN", "destination_hostgroup", "comment"],
        f => [f.Username, f.Schemaname, f.FlagIn, f.DestinationHostgroup, f.Comment],
        r => new FastRoutingConfig
        {
            Username = r.Text("username"),
            Schemaname = r.Text("schemaname"),
            FlagIn = r.Int("flagIN"),
            DestinationHostgroup = r.Int("destination_hostgroup"),
            Comment = r.Text("comment"),
        },
        r => $"username={r.Raw("username")}, schemaname={r.Raw("schemaname")}, flagIN={r.Raw("flagIN")}");

    public static TableMap<ReplicationHostgroupConfig> ReplicationHostgroups { get; } = new(
        "mysql_replication_hostgroups",
        ["writer_hostgroup", "reader_hostgroup", "check_type", "comment"],
        h => [h.WriterHostgroup, h.ReaderHostgroup, h.CheckType, h.Comment],
        r => new ReplicationHostgroupConfig
        {
            WriterHostgroup = r.Int("writer_hostgroup"),
            ReaderHostgroup = r.Int("reader_hostgroup"),
            CheckType = r.Text("check_type"),
            Comment = r.Text("comment"),
        },
        r => $"writer_hostgroup={r.Raw("writer_hostgroup")}");

    public static TableMap<SchedulerJobConfig> Scheduler { get; } = new(
        "scheduler",
        ["id", "active", "interval_ms", "filename", "arg1", "arg2", "arg3", "arg4", "arg5", "comment"],
        j => [j.Id, j.Active, j.IntervalMs, j.Filename, j.Arg1, j.Arg2, j.Arg3, j.Arg4, j.Arg5, j.Comment],
        r => new SchedulerJobConfig
        {
            Id = r.Int("id"),
            Active = r.Bool("active"),
            IntervalMs = r.Int("interval_ms"),
            Filename = r.Text("filename"),
            Arg1 = r.NullableText("arg1"),
            Arg2 = r.NullableText("arg2"),
            Arg3 = r.NullableText("arg3"),
            Arg4 = r.NullableText("arg4"),
            Arg5 = r.NullableText("arg5"),
            Comment = r.Text("comment"),
        },
        r => $"id={r.Raw("id")}");

    public static TableMap<RestapiRouteConfig> RestapiRoutes { get; } = new(
        "restapi_routes",
        ["id", "active", "timeout_ms", "method", "uri", "script", "comment"],
        r => [r.Id, r.Active, r.TimeoutMs, r.Method, r.Uri, r.Script, r.Comment],
        r => new RestapiRouteConfig
        {
            Id = r.Int("id"),
            Active = r.Bool("active"),
            TimeoutMs = r.Int("timeout_ms"),
            Method = r.Text("method"),
            Uri = r.Text("uri"),
            Script = r.Text("script"),
            Comment = r.Text("comment"),
        },
        r => $"id={r.Raw("id")}");

    public static TableMap<GaleraHostgroupConfig> GaleraHostgroups { get; } = new(
        "mysql_galera_hostgroups",
        ["writer_hostgroup", "backup_writer_hostgroup", "reader_hostgroup", "offline_hostgroup", "active", "max_writers",
         "writer_is_also_reader", "max_transactions_behind", "comment"],
        h => [h.WriterHostgroup, h.BackupWriterHostgroup, h.ReaderHostgroup, h.OfflineHostgroup, h.Active, h.MaxWriters,
              h.WriterIsAlsoReader, h.MaxTransactionsBehind, h.Comment],
        r => new GaleraHostgroupConfig
        {
            WriterHostgroup = r.Int("writer_hostgroup"),
            BackupWriterHostgroup = r.Int("backup_writer_hostgroup"),
            ReaderHostgroup = r.Int("reader_hostgroup"),
            OfflineHostgroup = r.Int("offline_hostgroup"),
            Active = r.Bool("active"),
            MaxWriters = r.Int("max_writers"),
            WriterIsAlsoReader = r.Int("writer_is_also_reader"),
            MaxTransactionsBehind = r.Int("max_transactions_behind"),
            Comment = r.NullableText("comment"),
        },
        r => $"writer_hostgroup={r.Raw("writer_hostgroup")}");
}
