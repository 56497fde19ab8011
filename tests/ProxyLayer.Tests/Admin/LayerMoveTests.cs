using System.Collections.Immutable;
using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Admin;

public sealed class LayerMoveTests
{
    /// <summary>Module name, a row to insert into MEMORY, a count query ({0} = schema prefix), and how to delete the row.</summary>
    public static TheoryData<string, string, string, string> ModuleRows => new()
    {
        { "MYSQL SERVERS", "INSERT INTO mysql_galera_hostgroups (writer_hostgroup, backup_writer_hostgroup, reader_hostgroup, offline_hostgroup) VALUES (1,2,3,4); INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (1, 'db1')",
          "SELECT (SELECT COUNT(*) FROM {0}mysql_servers) + (SELECT COUNT(*) FROM {0}mysql_galera_hostgroups)", "DELETE FROM mysql_servers; DELETE FROM mysql_galera_hostgroups" },
        { "MYSQL USERS", "INSERT INTO mysql_users (username, password, frontend, backend) VALUES ('u', 'p', 1, 0)",
          "SELECT COUNT(*) FROM {0}mysql_users", "DELETE FROM mysql_users" },
        { "MYSQL QUERY RULES", "INSERT INTO mysql_query_rules (rule_id, active, match_digest) VALUES (5, 1, '^SELECT'); INSERT INTO mysql_query_rules_fast_routing VALUES ('u','s',0,1,'')",
          "SELECT (SELECT COUNT(*) FROM {0}mysql_query_rules) + (SELECT COUNT(*) FROM {0}mysql_query_rules_fast_routing)", "DELETE FROM mysql_query_rules; DELETE FROM mysql_query_rules_fast_routing" },
        { "MYSQL VARIABLES", "INSERT INTO global_variables VALUES ('mysql-test_marker', 'x')",
          "SELECT COUNT(*) FROM {0}global_variables WHERE variable_name='mysql-test_marker'", "DELETE FROM global_variables WHERE variable_name='mysql-test_marker'" },
        { "ADMIN VARIABLES", "INSERT INTO global_variables VALUES ('admin-test_marker', 'x')",
          "SELECT COUNT(*) FROM {0}global_variables WHERE variable_name='admin-test_marker'", "DELETE FROM global_variables WHERE variable_name='admin-test_marker'" },
        { "SCHEDULER", "INSERT INTO scheduler (interval_ms, filename) VALUES (1000, '/bin/true')",
          "SELECT COUNT(*) FROM {0}scheduler", "DELETE FROM scheduler" },
        { "PROXYSQL SERVERS", "INSERT INTO proxysql_servers (hostname) VALUES ('peer1')",
          "SELECT COUNT(*) FROM {0}proxysql_servers", "DELETE FROM proxysql_servers" },
    };

    [Theory]
    [MemberData(nameof(ModuleRows))]
    public void Every_direction_moves_the_module(string module, string insert, string count, string delete)
    {
        using var admin = new AdminHarness();
        var rowsIn = (string prefix) => int.Parse(admin.Scalar(string.Format(System.Globalization.CultureInfo.InvariantCulture, count, prefix))!, System.Globalization.CultureInfo.InvariantCulture);
        admin.Ok(insert);
        var inserted = rowsIn("main.");

        admin.Ok($"SAVE {module} TO DISK");
        Assert.Equal(inserted, rowsIn("disk."));

        admin.Ok(delete);
        admin.Ok($"LOAD {module} TO MEMORY");
        Assert.Equal(inserted, rowsIn("main."));

        admin.Ok($"LOAD {module} TO RUNTIME");
        Assert.Equal(inserted, rowsIn("main.runtime_"));

        admin.Ok(delete);
        admin.Ok($"SAVE {module} TO MEMORY");
        Assert.Equal(inserted, rowsIn("main."));

        // Tables move replace-all; variables merge and never delete.
        admin.Ok(delete);
        admin.Ok($"SAVE {module} FROM MEMORY");
        Assert.Equal(module.EndsWith("VARIABLES", StringComparison.Ordinal) ? inserted : 0, rowsIn("disk."));
    }

    [Fact]
    public void Fast_routing_rows_reach_the_runtime_and_its_mirror_table()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_query_rules_fast_routing VALUES ('app', 'shop', 0, 20, 'reads')");
        admin.Ok("LOAD MYSQL QUERY RULES TO RUNTIME");

        var row = Assert.Single(admin.Runtime.Current.FastRouting);
        Assert.Equal(new FastRoutingConfig { Username = "app", Schemaname = "shop", FlagIn = 0, DestinationHostgroup = 20, Comment = "reads" }, row);

        // The runtime_ table mirrors what runs, not what MEMORY holds now.
        admin.Ok("DELETE FROM mysql_query_rules_fast_routing");
        Assert.Equal([["app", "shop", "0", "20", "reads"]], admin.Rows("SELECT * FROM runtime_mysql_query_rules_fast_routing").Values);
    }

    [Fact]
    public void Disk_moves_only_touch_their_module()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (1, 'db1'); INSERT INTO mysql_users (username) VALUES ('u')");
        admin.Ok("SAVE MYSQL SERVERS TO DISK");
        Assert.Equal("0", admin.Scalar("SELECT COUNT(*) FROM disk.mysql_users"));
        Assert.Equal("1", admin.Scalar("SELECT COUNT(*) FROM disk.mysql_servers"));
    }

    [Fact]
    public void Runtime_lists_each_user_twice_and_save_to_memory_keeps_that_split()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_users (username, password, default_hostgroup) VALUES ('app', 'secret', 10)");
        admin.Ok("LOAD MYSQL USERS TO RUNTIME");
        Assert.Single(admin.Runtime.Current.Users);

        var runtime = admin.Rows("SELECT username, frontend, backend FROM runtime_mysql_users ORDER BY frontend");
        Assert.Equal([["app", "0", "1"], ["app", "1", "0"]], runtime.Values);

        admin.Ok("SAVE MYSQL USERS FROM RUNTIME");
        Assert.Equal([["app", "0", "1", "10"], ["app", "1", "0", "10"]],
            admin.Rows("SELECT username, frontend, backend, default_hostgroup FROM mysql_users ORDER BY frontend").Values);
        admin.Ok("LOAD MYSQL USERS TO RUNTIME");
        Assert.Equal(2, admin.Runtime.Current.Users.Length);
    }

    [Fact]
    public void Only_active_rules_reach_runtime_in_rule_id_order()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_query_rules (rule_id, active, match_digest) VALUES (9, 1, 'b'), (3, 1, 'a'), (5, 0, 'off')");
        admin.Ok("LOAD MYSQL QUERY RULES TO RUN");
        Assert.Equal([3, 9], admin.Runtime.Current.QueryRules.Select(r => r.RuleId));
        Assert.Equal(["3", "9"], admin.Column("SELECT rule_id FROM runtime_mysql_query_rules ORDER BY rule_id"));
    }

    [Fact]
    public void Bad_regex_fails_load_naming_the_rule_and_changes_nothing()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_query_rules (rule_id, active, match_pattern, destination_hostgroup) VALUES (1, 1, '^SELECT', 20)");
        admin.Ok("LOAD MYSQL QUERY RULES TO RUNTIME");
        var before = admin.Runtime.Current;

        admin.Ok("INSERT INTO mysql_query_rules (rule_id, active, match_pattern, destination_hostgroup) VALUES (2, 1, '(', 10)");
        var error = admin.Error("LOAD MYSQL QUERY RULES TO RUNTIME");

        Assert.Equal((1045, "28000"), (error.Code, error.SqlState));
        Assert.StartsWith("ProxySQL Admin Error: LOAD MYSQL QUERY RULES TO RUNTIME failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("rule_id=2", error.Message, StringComparison.Ordinal);
        Assert.Contains("match_pattern '('", error.Message, StringComparison.Ordinal);
        Assert.Same(before, admin.Runtime.Current);
        Assert.Equal(["1"], admin.Column("SELECT rule_id FROM runtime_mysql_query_rules"));
        Assert.Equal("2", admin.Scalar("SELECT COUNT(*) FROM mysql_query_rules"));
    }

    [Fact]
    public void Load_servers_keeps_other_modules_runtime()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_users (username) VALUES ('u'); LOAD MYSQL USERS TO RUNTIME");
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (1, 'db1'); LOAD MYSQL SERVERS FROM MEMORY");
        Assert.Single(admin.Runtime.Current.Users);
        Assert.Single(admin.Runtime.Current.Servers);
    }

    [Fact]
    public void Save_servers_to_memory_captures_runtime_changes()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (10, 'db1'); LOAD MYSQL SERVERS TO RUNTIME");
        // The monitor promotes a writer: the runtime changes without the admin.
        admin.Runtime.Current = admin.Runtime.Current with
        {
            Servers = [.. admin.Runtime.Current.Servers, new ServerConfig { HostgroupId = 20, Hostname = "db1", Status = ServerStatus.Shunned }],
        };
        admin.Ok("SAVE MYSQL SERVERS TO MEM");
        Assert.Equal([["10", "ONLINE"], ["20", "SHUNNED"]], admin.Rows("SELECT hostgroup_id, status FROM mysql_servers ORDER BY hostgroup_id").Values);
    }

    [Fact]
    public void Every_server_column_survives_a_round_trip_through_runtime()
    {
        using var admin = new AdminHarness();
        var server = new ServerConfig
        {
            HostgroupId = 3, Hostname = "h", Port = 3307, GtidPort = 3308, Status = ServerStatus.OfflineSoft, Weight = 7,
            Compression = true, MaxConnections = 9, MaxReplicationLag = 11, UseSsl = true, MaxLatencyMs = 13, Comment = "c",
        };
        var rule = new QueryRuleConfig
        {
            RuleId = 4, Active = true, Username = "u", Schemaname = "s", FlagIn = 1, ClientAddr = "10.%", ProxyAddr = "1.2.3.4",
            ProxyPort = 6033, Digest = "0x1", MatchDigest = "d", MatchPattern = "p", NegateMatchPattern = true, ReModifiers = null,
            FlagOut = 2, ReplacePattern = "r", DestinationHostgroup = 5, CacheTtl = 6, CacheEmptyResult = 1, CacheTimeout = 7,
            Reconnect = 0, Timeout = 8, Retries = 9, Delay = 10, NextQueryFlagIn = 11, MirrorFlagOut = 12, MirrorHostgroup = 13,
            ErrorMsg = "e", OkMsg = "o", StickyConn = 1, Multiplex = 2, GtidFromHostgroup = 14, Log = 1, Apply = true,
            Attributes = "{}", Comment = null,
        };
        var user = new UserConfig
        {
            Username = "u", Password = null, Active = false, UseSsl = true, DefaultHostgroup = 2, DefaultSchema = "db",
            SchemaLocked = true, TransactionPersistent = false, FastForward = true, Backend = false, Frontend = true,
            MaxConnections = 3, Attributes = "", Comment = "x",
        };
        admin.Runtime.Current = ProxyConfig.Empty with
        {
            Servers = [server], QueryRules = [rule], Users = [user],
            ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = 1, ReaderHostgroup = 2, CheckType = "super_read_only", Comment = "k" }],
        };
        foreach (var module in new[] { "MYSQL SERVERS", "MYSQL QUERY RULES", "MYSQL USERS" })
            admin.Ok($"SAVE {module} TO MEMORY");
        var memory = admin.Store.ReadConfig(AdminLayer.Memory);
        Assert.Equal(server, Assert.Single(memory.Servers));
        Assert.Equal(rule, Assert.Single(memory.QueryRules));
        Assert.Equal(user, Assert.Single(memory.Users));
        Assert.Equal(admin.Runtime.Current.ReplicationHostgroups.AsEnumerable(), memory.ReplicationHostgroups);
    }

    [Fact]
    public void Load_from_config_merges_and_counts_rows_read()
    {
        var file = ProxyConfig.Empty with
        {
            Servers = [new ServerConfig { HostgroupId = 1, Hostname = "a" }, new ServerConfig { HostgroupId = 2, Hostname = "a" }],
            ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = 1, ReaderHostgroup = 2 }],
            Variables = ImmutableSortedDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, [KeyValuePair.Create("mysql-max_connections", "2048")]),
        };
        using var admin = new AdminHarness(configFile: file);
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (9, 'kept')");

        Assert.Equal(3, admin.Ok("LOAD MYSQL SERVERS FROM CONFIG").AffectedRows);
        Assert.Equal(["a", "a", "kept"], admin.Column("SELECT hostname FROM mysql_servers ORDER BY hostname"));
        Assert.Equal(1, admin.Ok("LOAD MYSQL VARIABLES FROM CONFIG").AffectedRows);
        Assert.Equal("2048", admin.Scalar("SELECT variable_value FROM global_variables WHERE variable_name='mysql-max_connections'"));
    }

    [Fact]
    public void Load_from_config_without_a_file_is_an_error()
    {
        using var admin = new AdminHarness();
        Assert.Contains("no config file", admin.Error("LOAD MYSQL USERS FROM CONFIG").Message, StringComparison.Ordinal);
    }
}
