using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Admin;

/// <summary>The DBA session from the project seed, statement by statement, exactly as typed.</summary>
public sealed class SeedSessionTests
{
    private static readonly string[] Session =
    [
        "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10, 'db001', 3306);",
        "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, 'db001', 3306);",
        "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, 'db002', 3306);",
        "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, 'db003', 3306);",
        "INSERT INTO mysql_replication_hostgroups VALUES (10,20,'read_only','');",
        "LOAD MYSQL SERVERS TO RUNTIME;",
        "SAVE MYSQL SERVERS TO DISK;",
        "INSERT INTO mysql_users(username,password,default_hostgroup,transaction_persistent) VALUES ('appuser','apppass',10,0);",
        "LOAD MYSQL USERS TO RUNTIME;",
        "SAVE MYSQL USERS TO DISK;",
        "INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (1,1,'^SELECT.*FOR UPDATE$',10);",
        "INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (2,1,'^SELECT',20);",
        "LOAD MYSQL QUERY RULES TO RUNTIME;",
        "SAVE MYSQL QUERY RULES TO DISK;",
    ];

    [Fact]
    public void Every_statement_succeeds_and_lands_in_runtime_and_disk()
    {
        using var admin = new AdminHarness();
        foreach (var statement in Session)
            admin.Ok(statement);

        var runtime = admin.Runtime.Current;
        Assert.Equal(
            [(10, "db001"), (20, "db001"), (20, "db002"), (20, "db003")],
            runtime.Servers.Select(s => (s.HostgroupId, s.Hostname)));
        Assert.All(runtime.Servers, s => Assert.Equal(ServerStatus.Online, s.Status));
        var hostgroups = Assert.Single(runtime.ReplicationHostgroups);
        Assert.Equal((10, 20, "read_only"), (hostgroups.WriterHostgroup, hostgroups.ReaderHostgroup, hostgroups.CheckType));
        var user = Assert.Single(runtime.Users);
        Assert.Equal(("appuser", "apppass", 10, false), (user.Username, user.Password, user.DefaultHostgroup, user.TransactionPersistent));
        Assert.Equal([1, 2], runtime.QueryRules.Select(r => r.RuleId));
        Assert.Equal("^SELECT.*FOR UPDATE$", runtime.QueryRules[0].MatchPattern);
        Assert.Equal(20, runtime.QueryRules[1].DestinationHostgroup);

        var disk = admin.Store.ReadConfig(AdminLayer.Disk);
        Assert.Equal(runtime.Servers.AsEnumerable(), disk.Servers);
        Assert.Equal(runtime.Users.AsEnumerable(), disk.Users);
        Assert.Equal(runtime.QueryRules.AsEnumerable(), disk.QueryRules);
        Assert.Equal("4", admin.Scalar("SELECT COUNT(*) FROM disk.mysql_servers"));
    }

    [Fact]
    public void Whole_session_as_one_query_string_also_works()
    {
        using var admin = new AdminHarness();
        admin.Ok(string.Join("\n", Session));
        Assert.Equal(2, admin.Runtime.Current.QueryRules.Length);
        Assert.Equal("2", admin.Scalar("SELECT COUNT(*) FROM disk.mysql_query_rules"));
    }
}
