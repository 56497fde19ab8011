using System.Globalization;
using System.Text;

namespace ProxyLayer.Config;

/// <summary>
/// Writes a <see cref="ProxyConfig"/> as <c>proxysql.cnf</c> text, laid out like ProxySQL's <c>SELECT CONFIG FILE</c>:
/// variables as quoted strings inside their module group, list entries one <c>key=value</c> per line, null and empty
/// fields left out. <see cref="ConfigFileReader"/> reads the result back to an equal configuration.
/// </summary>
public static class ConfigFileWriter
{
    public static string Write(ProxyConfig config, string? datadir)
    {
        var writer = new LibconfigTextWriter();
        if (!string.IsNullOrEmpty(datadir))
            writer.TopLevel("datadir", datadir);

        WriteVariables(writer, config, "admin_variables", "admin-");
        WriteVariables(writer, config, "mysql_variables", "mysql-");
        writer.List("mysql_servers", config.Servers, WriteServer);
        writer.List("mysql_users", config.Users, WriteUser);
        writer.List("mysql_query_rules", config.QueryRules, WriteQueryRule);
        writer.List("mysql_query_rules_fast_routing", config.FastRouting, WriteFastRouting);
        writer.List("mysql_replication_hostgroups", config.ReplicationHostgroups, WriteReplicationHostgroup);
        writer.List("scheduler", config.Scheduler, WriteSchedulerJob);
        writer.List("mysql_galera_hostgroups", config.GaleraHostgroups, WriteGaleraHostgroup);
        writer.List("restapi", config.RestapiRoutes, WriteRestapiRoute);
        return writer.ToString();
    }

    private static void WriteVariables(LibconfigTextWriter writer, ProxyConfig config, string section, string prefix)
    {
        var variables = config.Variables.Where(v => v.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (variables.Count == 0)
            return;
        writer.BeginGroup(section);
        foreach (var (name, value) in variables)
            writer.Field(name[prefix.Length..], value);
        writer.EndGroup();
    }

    private static void WriteServer(LibconfigTextWriter w, ServerConfig s)
    {
        w.Field("hostgroup_id", s.HostgroupId);
        w.Field("hostname", s.Hostname);
        w.Field("port", s.Port);
        w.Field("gtid_port", s.GtidPort);
        w.Field("status", ServerStatusText.ToText(s.Status));
        w.Field("weight", s.Weight);
        w.Field("compression", s.Compression);
        w.Field("max_connections", s.MaxConnections);
        w.Field("max_replication_lag", s.MaxReplicationLag);
        w.Field("use_ssl", s.UseSsl);
        w.Field("max_latency_ms", s.MaxLatencyMs);
        w.Field("comment", s.Comment);
    }

    private static void WriteUser(LibconfigTextWriter w, UserConfig u)
    {
        w.Field("username", u.Username);
        w.Field("password", u.Password);
        w.Field("active", u.Active);
        w.Field("use_ssl", u.UseSsl);
        w.Field("default_hostgroup", u.DefaultHostgroup);
        w.Field("default_schema", u.DefaultSchema);
        w.Field("schema_locked", u.SchemaLocked);
        w.Field("transaction_persistent", u.TransactionPersistent);
        w.Field("fast_forward", u.FastForward);
        w.Field("backend", u.Backend);
        w.Field("frontend", u.Frontend);
        w.Field("max_connections", u.MaxConnections);
        w.Field("attributes", u.Attributes);
        w.Field("comment", u.Comment);
    }

    private static void WriteQueryRule(LibconfigTextWriter w, QueryRuleConfig r)
    {
        w.Field("rule_id", r.RuleId);
        w.Field("active", r.Active);
        w.Field("username", r.Username);
        w.Field("schemaname", r.Schemaname);
        w.Field("flagIN", r.FlagIn);
        w.Field("client_addr", r.ClientAddr);
        w.Field("proxy_addr", r.ProxyAddr);
        w.Field("proxy_port", r.ProxyPort);
        w.Field("digest", r.Digest);
        w.Field("match_digest", r.MatchDigest);
        w.Field("match_pattern", r.MatchPattern);
        w.Field("negate_match_pattern", r.NegateMatchPattern);
        w.Field("re_modifiers", r.ReModifiers);
        w.Field("flagOUT", r.FlagOut);
        w.Field("replace_pattern", r.ReplacePattern);
        w.Field("destination_hostgroup", r.DestinationHostgroup);
        w.Field("cache_ttl", r.CacheTtl);
        w.Field("cache_empty_result", r.CacheEmptyResult);
        w.Field("cache_timeout", r.CacheTimeout);
        w.Field("reconnect", r.Reconnect);
        w.Field("timeout", r.Timeout);
        w.Field("retries", r.Retries);
        w.Field("delay", r.Delay);
        w.Field("next_query_flagIN", r.NextQueryFlagIn);
        w.Field("mirror_flagOUT", r.MirrorFlagOut);
        w.Field("mirror_hostgroup", r.MirrorHostgroup);
        w.Field("error_msg", r.ErrorMsg);
        w.Field("OK_msg", r.OkMsg);
        w.Field("sticky_conn", r.StickyConn);
        w.Field("multiplex", r.Multiplex);
        w.Field("gtid_from_hostgroup", r.GtidFromHostgroup);
        w.Field("log", r.Log);
        w.Field("apply", r.Apply);
        w.Field("attributes", r.Attributes);
        w.Field("comment", r.Comment);
    }

    private static void WriteFastRouting(LibconfigTextWriter w, FastRoutingConfig f)
    {
        // Both are required keys, and an empty username means "every user": written even when empty.
        w.RequiredField("username", f.Username);
        w.RequiredField("schemaname", f.Schemaname);
        w.Field("flagIN", f.FlagIn);
        w.Field("destination_hostgroup", f.DestinationHostgroup);
        w.Field("comment", f.Comment);
    }

    private static void WriteReplicationHostgroup(LibconfigTextWriter w, ReplicationHostgroupConfig h)
    {
        w.Field("writer_hostgroup", h.WriterHostgroup);
        w.Field("reader_hostgroup", h.ReaderHostgroup);
        w.Field("check_type", h.CheckType);
        w.Field("comment", h.Comment);
    }

    private static void WriteSchedulerJob(LibconfigTextWriter w, SchedulerJobConfig j)
    {
        w.Field("id", j.Id);
        w.Field("active", j.Active);
        w.Field("interval_ms", j.IntervalMs);
        w.RequiredField("filename", j.Filename);
        // An empty argument is still an argument (and ends nothing, unlike NULL): written when present at all.
        WriteArgument(w, "arg1", j.Arg1);
        WriteArgument(w, "arg2", j.Arg2);
        WriteArgument(w, "arg3", j.Arg3);
        WriteArgument(w, "arg4", j.Arg4);
        WriteArgument(w, "arg5", j.Arg5);
        w.Field("comment", j.Comment);
    }

    private static void WriteRestapiRoute(LibconfigTextWriter w, RestapiRouteConfig r)
    {
        w.Field("id", r.Id);
        w.Field("active", r.Active);
        w.Field("timeout_ms", r.TimeoutMs);
        w.RequiredField("method", r.Method);
        w.RequiredField("uri", r.Uri);
        w.RequiredField("script", r.Script);
        w.Field("comment", r.Comment);
    }

    private static void WriteArgument(LibconfigTextWriter w, string name, string? value)
    {
        if (value is not null)
            w.RequiredField(name, value);
    }

    private static void WriteGaleraHostgroup(LibconfigTextWriter w, GaleraHostgroupConfig h)
    {
        w.Field("writer_hostgroup", h.WriterHostgroup);
        w.Field("backup_writer_hostgroup", h.BackupWriterHostgroup);
        w.Field("reader_hostgroup", h.ReaderHostgroup);
        w.Field("offline_hostgroup", h.OfflineHostgroup);
        w.Field("active", h.Active);
        w.Field("max_writers", h.MaxWriters);
        w.Field("writer_is_also_reader", h.WriterIsAlsoReader);
        w.Field("max_transactions_behind", h.MaxTransactionsBehind);
        w.Field("comment", h.Comment);
    }

    /// <summary>Indentation and quoting for the writer above; knows libconfig, not ProxySQL.</summary>
    private sealed class LibconfigTextWriter
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public void TopLevel(string name, string value) => _text.Append(name).Append('=').Append(Quote(value)).Append('\n');

        public void BeginGroup(string name) => Open(name, '{');

        public void EndGroup() => Close('}');

        public void List<T>(string name, IReadOnlyList<T> entries, Action<LibconfigTextWriter, T> writeEntry)
        {
            if (entries.Count == 0)
                return;
            Open(name, '(');
            for (int i = 0; i < entries.Count; i++)
            {
                Indent().Append("{\n");
                _depth++;
                writeEntry(this, entries[i]);
                _depth--;
                Indent().Append(i < entries.Count - 1 ? "},\n" : "}\n");
            }
            Close(')');
        }

        public void Field(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                Indent().Append(name).Append('=').Append(Quote(value)).Append('\n');
        }

        public void RequiredField(string name, string value) =>
            Indent().Append(name).Append('=').Append(Quote(value)).Append('\n');

        public void Field(string name, int? value)
        {
            if (value is { } number)
                Indent().Append(name).Append('=').Append(number.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        /// <summary>Flags are written as 0/1, the way ProxySQL's tables hold them.</summary>
        public void Field(string name, bool value) => Field(name, value ? 1 : 0);

        public override string ToString() => _text.ToString();

        private void Open(string name, char bracket)
        {
            _text.Append('\n').Append(name).Append("=\n").Append(bracket).Append('\n');
            _depth++;
        }

        private void Close(char bracket)
        {
            _depth--;
            _text.Append(bracket).Append('\n');
        }

        private StringBuilder Indent() => _text.Append('\t', _depth);

        private static string Quote(string value)
        {
            var quoted = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                _ = c switch
                {
                    '"' => quoted.Append("\\\""),
                    '\\' => quoted.Append("\\\\"),
                    '\n' => quoted.Append("\\n"),
                    '\r' => quoted.Append("\\r"),
                    '\t' => quoted.Append("\\t"),
                    '\f' => quoted.Append("\\f"),
                    < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                    _ => quoted.Append(c),
                };
            }
            return quoted.Append('"').ToString();
        }
    }
}
