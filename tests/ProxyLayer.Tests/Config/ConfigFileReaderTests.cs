using ProxyLayer.Config;

namespace ProxyLayer.Tests.Config;

public class ConfigFileReaderTests
{
    [Fact]
    public void Spec_sample_maps_every_section()
    {
        var file = ConfigFileReader.ReadText(SampleConfigs.SpecSample, "proxysql.cnf");

        Assert.Equal("/var/lib/proxysql", file.Datadir);
        Assert.Equal("admin:admin", file.Config.Variables["admin-admin_credentials"]);
        Assert.Equal("0.0.0.0:6032", file.Config.Variables["admin-mysql_ifaces"]);
        Assert.Equal("4", file.Config.Variables["mysql-threads"]);
        Assert.Equal("monitor", file.Config.Variables["mysql-monitor_username"]);
        Assert.Equal(
            [new ServerConfig { Hostname = "10.0.0.1", HostgroupId = 10 }, new ServerConfig { Hostname = "10.0.0.2", HostgroupId = 20 }],
            file.Config.Servers.ToArray());
        Assert.Equal(new ReplicationHostgroupConfig { WriterHostgroup = 10, ReaderHostgroup = 20, Comment = "repl" }, Assert.Single(file.Config.ReplicationHostgroups));
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void Full_config_maps_variables_servers_users_rules()
    {
        var file = ConfigFileReader.ReadText(SampleConfigs.Full, "proxysql.cnf");
        var variables = file.Config.Variables;

        Assert.Equal("/var/lib/proxysql/proxysql.log", file.Errorlog);
        Assert.Null(file.Pidfile);
        Assert.Equal("admin:admin;radmin:radmin", variables["admin-admin_credentials"]);
        Assert.Equal("true", variables["mysql-have_compress"]);
        Assert.Equal("36000000", variables["mysql-default_query_timeout"]);
        Assert.Equal("5.5.30", variables["MYSQL-SERVER_VERSION"]);
        Assert.Equal(23, variables.Count(v => v.Key.StartsWith("mysql-", StringComparison.Ordinal)));

        Assert.Equal(2, file.Config.Servers.Length);
        Assert.Equal(10, file.Config.Servers[0].MaxReplicationLag);
        Assert.Equal(new ServerConfig { Hostname = "10.0.0.2", HostgroupId = 1, Port = 3307, MaxConnections = 200, UseSsl = true, Comment = "replica" }, file.Config.Servers[1]);

        Assert.Equal("shop", file.Config.Users[0].DefaultSchema);
        Assert.True(file.Config.Users[0].TransactionPersistent);
        Assert.False(file.Config.Users[1].TransactionPersistent);
        Assert.Equal(1, file.Config.Users[1].DefaultHostgroup);

        var rules = file.Config.QueryRules;
        Assert.Equal([1, 2, 3], rules.Select(r => r.RuleId));
        Assert.True(rules[0].Active && rules[0].Apply);
        Assert.Equal("CASELESS", rules[0].ReModifiers);
        Assert.Equal("CASELESS,GLOBAL", rules[1].ReModifiers);
        Assert.Equal(5, rules[1].FlagOut);
        Assert.Equal(1, rules[1].DestinationHostgroup);
        Assert.Equal("DROP is not allowed", rules[2].ErrorMsg);
        Assert.Null(rules[2].DestinationHostgroup);

        Assert.Equal("read_only", file.Config.ReplicationHostgroups[0].CheckType);
        Assert.Empty(file.Config.Scheduler);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void Scheduler_entries_take_the_table_defaults_and_need_id_filename_and_a_valid_interval()
    {
        var job = Assert.Single(ConfigFileReader.ReadText("""
            scheduler = ( { id=3, interval_ms=2000, filename="/opt/check.sh", arg1="-v", comment="galera" } )
            """).Config.Scheduler);
        Assert.Equal(new SchedulerJobConfig { Id = 3, Active = true, IntervalMs = 2000, Filename = "/opt/check.sh", Arg1 = "-v", Comment = "galera" }, job);

        var missingFilename = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText("scheduler = ( { id=1, interval_ms=1000 } )"));
        Assert.Contains("missing required 'filename'", missingFilename.Message, StringComparison.Ordinal);
        var missingId = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText("scheduler = ( { filename=\"/bin/true\", interval_ms=1000 } )"));
        Assert.Contains("missing required 'id'", missingId.Message, StringComparison.Ordinal);
        var tooFast = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText("scheduler = ( { id=1, filename=\"/bin/true\", interval_ms=99 } )"));
        Assert.Contains("'interval_ms' must be 100..100000000, found 99", tooFast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restapi_entries_take_timeout_ms_or_its_old_name_and_need_a_get_or_post_method()
    {
        var routes = ConfigFileReader.ReadText("""
            restapi = ( { id=1, timeout_ms=2000, method="GET", uri="status", script="/opt/status.sh", comment="c" },
                        { id=2, active=0, interval_ms=1000, method="post", uri="set", script="set.sh" } )
            """).Config.RestapiRoutes;
        Assert.Equal(
            [new RestapiRouteConfig { Id = 1, TimeoutMs = 2000, Method = "GET", Uri = "status", Script = "/opt/status.sh", Comment = "c" },
             new RestapiRouteConfig { Id = 2, Active = false, TimeoutMs = 1000, Method = "post", Uri = "set", Script = "set.sh" }],
            routes.ToArray());

        var put = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText(
            "restapi = ( { id=1, timeout_ms=1000, method=\"PUT\", uri=\"x\", script=\"/bin/true\" } )"));
        Assert.Contains("'method' must be GET or POST, found 'PUT'", put.Message, StringComparison.Ordinal);
        var noTimeout = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText(
            "restapi = ( { id=1, method=\"GET\", uri=\"x\", script=\"/bin/true\" } )"));
        Assert.Contains("timeout_ms", noTimeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restapi_rows_that_could_never_be_served_are_named()
    {
        static RestapiRouteConfig Route(int id, string method, string uri, bool active = true) =>
            new() { Id = id, Active = active, TimeoutMs = 1000, Method = method, Uri = uri, Script = "/bin/true" };

        Assert.Empty(RestapiRouteValidation.Errors([Route(1, "GET", "a"), Route(2, "POST", "a"), Route(3, "get", "a", active: false)]));
        var errors = RestapiRouteValidation.Errors([Route(1, "GET", "a"), Route(2, "get", "a"), Route(3, "GET", "a/b"), Route(4, "PUT", "c")]).ToList();
        Assert.Equal(
            ["restapi_routes (id=2): GET /sync/a is also served by id=1; one active row per method and uri",
             "restapi_routes (id=3): uri 'a/b' has a '/': it is the one path segment after /sync/ (serve /sync/x as uri 'x')",
             "restapi_routes (id=4): method 'PUT' is not GET or POST"],
            errors);
    }

    [Fact]
    public void Every_query_rule_column_is_read_by_its_proxysql_name()
    {
        var rule = Assert.Single(ConfigFileReader.ReadText("""
            mysql_query_rules = ( {
              rule_id=7 active=1 username="u" schemaname="s" flagIN=1 client_addr="10.0.0.9" proxy_addr="0.0.0.0"
              proxy_port=6033 digest="0xABC" match_digest="^SEL" match_pattern="^SELECT" negate_match_pattern=1
              re_modifiers="" flagOUT=2 replace_pattern="SELECT 1" destination_hostgroup=3 cache_ttl=100
              cache_empty_result=0 cache_timeout=50 reconnect=1 timeout=1000 retries=2 delay=5 next_query_flagIN=4
              mirror_flagOUT=6 mirror_hostgroup=8 error_msg="no" OK_msg="ok" sticky_conn=1 multiplex=0
              gtid_from_hostgroup=9 log=1 apply=1 attributes="{}" comment="all of them"
            } )
            """).Config.QueryRules);

        Assert.Equal(new QueryRuleConfig
        {
            RuleId = 7, Active = true, Username = "u", Schemaname = "s", FlagIn = 1, ClientAddr = "10.0.0.9",
            ProxyAddr = "0.0.0.0", ProxyPort = 6033, Digest = "0xABC", MatchDigest = "^SEL", MatchPattern = "^SELECT",
            NegateMatchPattern = true, ReModifiers = "", FlagOut = 2, ReplacePattern = "SELECT 1", DestinationHostgroup = 3,
            CacheTtl = 100, CacheEmptyResult = 0, CacheTimeout = 50, Reconnect = 1, Timeout = 1000, Retries = 2, Delay = 5,
            NextQueryFlagIn = 4, MirrorFlagOut = 6, MirrorHostgroup = 8, ErrorMsg = "no", OkMsg = "ok", StickyConn = 1,
            Multiplex = 0, GtidFromHostgroup = 9, Log = 1, Apply = true, Attributes = "{}", Comment = "all of them",
        }, rule);
    }

    [Theory]
    [InlineData("mysql_servers = (\n { port = 3306, hostgroup = 1 }\n)", "cfg:2: mysql_servers: entry is missing required 'address' (or 'hostname')")]
    [InlineData("mysql_servers = ( { address = \"h\" } )", "cfg:1: mysql_servers: entry is missing required 'hostgroup' (or 'hostgroup_id')")]
    [InlineData("mysql_users = ( { password = \"x\" } )", "cfg:1: mysql_users: entry is missing required 'username'")]
    [InlineData("mysql_query_rules = ( { active = 1 } )", "cfg:1: mysql_query_rules: entry is missing required 'rule_id'")]
    [InlineData("mysql_replication_hostgroups = ( { writer_hostgroup = 1 } )", "cfg:1: mysql_replication_hostgroups: entry is missing required 'reader_hostgroup'")]
    [InlineData("mysql_servers = (\n {\n  address = \"h\"\n  hostgroup = 1\n  port = \"3306\"\n }\n)", "cfg:5: mysql_servers: 'port' must be an integer, found string \"3306\"")]
    [InlineData("mysql_users = ( { username = 5 } )", "cfg:1: mysql_users: 'username' must be a string, found integer 5")]
    [InlineData("mysql_users = ( { username = \"u\", active = 2 } )", "cfg:1: mysql_users: 'active' must be a boolean or 0/1, found integer 2")]
    [InlineData("mysql_servers = ( { address = \"h\", hostgroup = 1, status = \"UP\" } )", "cfg:1: mysql_servers: 'status' must be ONLINE, SHUNNED, OFFLINE_SOFT or OFFLINE_HARD, found \"UP\"")]
    [InlineData("mysql_servers = { address = \"h\" }", "cfg:1: 'mysql_servers' must be a list ( { … }, … ), found group")]
    [InlineData("mysql_servers = ( 5 )", "cfg:1: mysql_servers: expected a group { … } per entry, found integer")]
    [InlineData("mysql_variables = { threads = ( 1 ) }", "cfg:1: mysql_variables: 'threads' must be a single value, found list")]
    [InlineData("datadir = 5", "cfg:1: 'datadir' must be a string, found integer")]
    [InlineData("mysql_query_rules_fast_routing = ( { username = \"u\", destination_hostgroup = 1 } )",
        "cfg:1: mysql_query_rules_fast_routing: entry is missing required 'schemaname'")]
    public void Semantic_errors_name_file_and_line(string text, string message)
    {
        var error = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText(text, "cfg"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Fast_routing_section_is_read_with_table_defaults()
    {
        var file = ConfigFileReader.ReadText("""
            mysql_query_rules_fast_routing = ( { username = "app", schemaname = "shop", destination_hostgroup = 20 },
                                               { username = "", schemaname = "crm", flagIN = 4, destination_hostgroup = 30, comment = "all users" } )
            """, "cfg");

        Assert.Equal(
        [
            new FastRoutingConfig { Username = "app", Schemaname = "shop", FlagIn = 0, DestinationHostgroup = 20, Comment = "" },
            new FastRoutingConfig { Username = "", Schemaname = "crm", FlagIn = 4, DestinationHostgroup = 30, Comment = "all users" },
        ], file.Config.FastRouting.ToArray());
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void Unknown_keys_and_sections_are_warnings()
    {
        var file = ConfigFileReader.ReadText("""
            proxysql_servers = ( { hostname = "p1" } )
            ldap_variables = { }
            something_else = 1
            mysql_servers = ( { address = "h", hostgroup = 1, colour = "blue" } )
            """, "cfg");

        Assert.Single(file.Config.Servers.ToArray());
        Assert.Equal(
        [
            "cfg:1: 'proxysql_servers' is not supported by ProxyLayer; ignored",
            "cfg:2: 'ldap_variables' is not supported by ProxyLayer; ignored",
            "cfg:3: unknown top-level setting 'something_else' ignored",
            "cfg:4: mysql_servers: unknown key 'colour' ignored",
        ], file.Warnings.ToArray());
    }

    [Fact]
    public void Variables_are_rendered_as_text()
    {
        var variables = ConfigFileReader.ReadText("mysql_variables = { a = true, b = FALSE, c = 0x10, d = 5L, e = 1.5, f = \"x\" }").Config.Variables;
        Assert.Equal(["true", "false", "16", "5", "1.5", "x"], new[] { "a", "b", "c", "d", "e", "f" }.Select(n => variables["mysql-" + n]));
    }

    [Fact]
    public void Read_from_disk_reports_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"proxylayer-{Guid.NewGuid():N}.cnf");
        File.WriteAllText(path, "mysql_variables = { threads = 2 }\nbroken");
        try
        {
            var error = Assert.Throws<ConfigFileException>(() => ConfigFileReader.Read(path));
            Assert.Equal($"{path}:2:7: expected '=' or ':' after setting name, found end of file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Cluster_sync_interfaces_is_read_at_top_level_and_is_false_unless_the_file_says_true()
    {
        Assert.False(ConfigFileReader.ReadText("datadir=\"/tmp\"").ClusterSyncInterfaces);
        var on = ConfigFileReader.ReadText("cluster_sync_interfaces=true\ndatadir=\"/tmp\"", "proxysql.cnf");
        Assert.True(on.ClusterSyncInterfaces);
        Assert.Empty(on.Warnings);
        Assert.False(ConfigFileReader.ReadText("cluster_sync_interfaces=false").ClusterSyncInterfaces);

        // Not a boolean: ProxySQL logs it and keeps false.
        var wrong = ConfigFileReader.ReadText("cluster_sync_interfaces=\"true\"", "proxysql.cnf");
        Assert.False(wrong.ClusterSyncInterfaces);
        Assert.Contains("cluster_sync_interfaces", Assert.Single(wrong.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql_users = ( { username=\"app\" password \"Typo-Secret-91\" } )", "expected '=' or ':' after setting name")]
    [InlineData("mysql_users = ( { username=\"app\", password=\"Typo-Secret-91\" \"x\" 7 } )", "expected")]
    [InlineData("mysql_users = ( { username=\"app\", password=Typo-Secret-91 } )", "expected")]
    [InlineData("mysql_users = ( { username=\"app\", password=(\"Typo-Secret-91\") } )", "'password' must be")]
    [InlineData("mysql_variables = { monitor_password \"Typo-Secret-91\" }", "expected '=' or ':' after setting name")]
    public void A_mistyped_password_setting_is_reported_by_line_without_its_value(string text, string reported)
    {
        var error = Assert.ThrowsAny<Exception>(() => ConfigFileReader.ReadText(text));
        Assert.Contains(reported, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Typo-Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_ordinary_setting_still_shows_what_was_found()
    {
        var error = Assert.Throws<ConfigFileException>(() => ConfigFileReader.ReadText("mysql_servers = ( { hostname \"db1\" } )"));
        Assert.Contains("found string \"db1\"", error.Message, StringComparison.Ordinal);
    }
}
