using System.Collections.Immutable;
using ProxyLayer.Cluster;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Cluster;

/// <summary>
/// Golden values read from a real ProxySQL 2.7.2 (../shared/anchors/proxysql-2.7.2.xz, run with -M and an empty data
/// directory) after these statements, through its admin interface:
/// <code>
/// INSERT INTO mysql_query_rules (rule_id,active,match_pattern,destination_hostgroup,apply) VALUES (1,1,'^SELECT.*FOR UPDATE',10,1);
/// INSERT INTO mysql_query_rules (rule_id,active,username,match_digest,destination_hostgroup,apply,comment) VALUES (2,1,'app','^SELECT',20,1,'reads');
/// INSERT INTO mysql_query_rules (rule_id,active,match_pattern,destination_hostgroup,apply) VALUES (3,0,'^DELETE',10,1);
/// INSERT INTO mysql_query_rules_fast_routing (username,schemaname,flagIN,destination_hostgroup,comment) VALUES ('app','shop',0,20,'fr');
/// LOAD MYSQL QUERY RULES TO RUNTIME;
/// INSERT INTO mysql_servers (hostgroup_id,hostname,port) VALUES (10,'127.0.0.1',3306);
/// INSERT INTO mysql_servers (hostgroup_id,hostname,port,weight,comment) VALUES (20,'127.0.0.2',3307,5,'replica a');
/// INSERT INTO mysql_servers (hostgroup_id,hostname,port,status) VALUES (20,'127.0.0.3',3308,'OFFLINE_HARD');
/// INSERT INTO mysql_replication_hostgroups (writer_hostgroup,reader_hostgroup,comment) VALUES (10,20,'cluster1');
/// LOAD MYSQL SERVERS TO RUNTIME;
/// INSERT INTO mysql_users (username,password,default_hostgroup) VALUES ('app','secret',10);
/// INSERT INTO mysql_users (username,password,default_hostgroup,default_schema,frontend,backend,comment,max_connections)
///   VALUES ('reader','*14E65567ABDB5135D0CFD9A70B3032C179A49EE7',20,'shop',1,0,'ro',500);
/// LOAD MYSQL USERS TO RUNTIME;
/// INSERT INTO proxysql_servers (hostname,port,weight,comment) VALUES ('127.0.0.1',6032,0,'node1'),('127.0.0.1',7032,0,'node2');
/// LOAD PROXYSQL SERVERS TO RUNTIME;
/// SELECT * FROM runtime_checksums_values; SELECT GLOBAL_CHECKSUM();
/// </code>
/// </summary>
public sealed class ModuleChecksumGoldenTests
{
    private static readonly ProxyConfig Loaded = ProxyConfig.Empty with
    {
        QueryRules =
        [
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT.*FOR UPDATE", DestinationHostgroup = 10, Apply = true },
            new QueryRuleConfig { RuleId = 2, Active = true, Username = "app", MatchDigest = "^SELECT", DestinationHostgroup = 20, Apply = true, Comment = "reads" },
            new QueryRuleConfig { RuleId = 3, Active = false, MatchPattern = "^DELETE", DestinationHostgroup = 10, Apply = true },
        ],
        FastRouting = [new FastRoutingConfig { Username = "app", Schemaname = "shop", FlagIn = 0, DestinationHostgroup = 20, Comment = "fr" }],
        Servers =
        [
            new ServerConfig { HostgroupId = 10, Hostname = "127.0.0.1", Port = 3306 },
            new ServerConfig { HostgroupId = 20, Hostname = "127.0.0.2", Port = 3307, Weight = 5, Comment = "replica a" },
            new ServerConfig { HostgroupId = 20, Hostname = "127.0.0.3", Port = 3308, Status = ServerStatus.OfflineHard },
        ],
        ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = 10, ReaderHostgroup = 20, Comment = "cluster1" }],
        Users =
        [
            new UserConfig { Username = "app", Password = "secret", DefaultHostgroup = 10 },
            new UserConfig
            {
                Username = "reader", Password = "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7", DefaultHostgroup = 20, DefaultSchema = "shop",
                Frontend = true, Backend = false, Comment = "ro", MaxConnections = 500,
            },
        ],
    };

    private static readonly ClusterSources Sources = new()
    {
        Runtime = Loaded,
        LoadedServers = Loaded.Servers,
        ProxysqlServers = [new ProxysqlServerConfig("127.0.0.1", 6032, 0, "node1"), new ProxysqlServerConfig("127.0.0.1", 7032, 0, "node2")],
    };

    [Theory]
    [InlineData("mysql_query_rules", "0x8546A5C689018570")]
    [InlineData("mysql_servers", "0x512EAFAB7928CC31")]
    [InlineData("mysql_servers_v2", "0x783DF9F92D5FA304")]
    [InlineData("mysql_users", "0x326F43CF3A4219E1")]
    [InlineData("proxysql_servers", "0x757974ACC11C74AE")]
    public void Module_checksum_equals_ProxySQLs(string name, string expected)
    {
        Assert.True(ClusterModuleNames.TryParse(name, out var module));
        Assert.Equal(expected, ModuleTables.Checksum(module, ModuleTables.Of(module, Sources)));
    }

    [Fact]
    public void Empty_modules_checksum_as_ProxySQL_shows_them()
    {
        var empty = Sources with { Runtime = ProxyConfig.Empty, LoadedServers = [], ProxysqlServers = [] };
        foreach (var module in ClusterModuleNames.All.Where(m => m is not (ClusterModule.AdminVariables or ClusterModule.MysqlVariables)))
            Assert.Equal("0x0000000000000000", ModuleTables.Checksum(module, ModuleTables.Of(module, empty)));
    }

    /// <summary>The same ProxySQL's log: "Checksum for table mysql_replication_hostgroups is 0x27FADDCCFB07C80" (%lX of the raw value).</summary>
    [Fact]
    public void Replication_hostgroups_raw_checksum_equals_ProxySQLs()
    {
        Assert.Equal(0x27FADDCCFB07C80UL, ClusterTables.ReplicationHostgroups(Loaded.ReplicationHostgroups).RawChecksum);
    }

    /// <summary>
    /// GLOBAL_CHECKSUM() of the same ProxySQL: after the loads above (admin and mysql variables at version 1 with the
    /// checksums it showed for its variables), and before them, right after start-up.
    /// </summary>
    [Theory]
    [InlineData(2, "0x8546A5C689018570", "0x512EAFAB7928CC31", "0x783DF9F92D5FA304", "0x326F43CF3A4219E1", "0x757974ACC11C74AE", 8568781742147221900L)]
    [InlineData(1, "0x0000000000000000", "0x0000000000000000", "0x0000000000000000", "0x0000000000000000", "0x0000000000000000", 6808444441964823365L)]
    public void Global_checksum_equals_ProxySQLs(int version, string rules, string servers, string serversV2, string users, string peers, long expected)
    {
        var snapshot = ChecksumSnapshot.Empty
            .With(new ModuleChecksum(ClusterModule.AdminVariables, 1, 0, "0xE2BBE7A82F6BDF5A"))
            .With(new ModuleChecksum(ClusterModule.MysqlVariables, 1, 0, "0x422C5AFA7D9F52C0"))
            .With(new ModuleChecksum(ClusterModule.MysqlQueryRules, version, 0, rules))
            .With(new ModuleChecksum(ClusterModule.MysqlServers, version, 0, servers))
            .With(new ModuleChecksum(ClusterModule.MysqlServersV2, version, 0, serversV2))
            .With(new ModuleChecksum(ClusterModule.MysqlUsers, version, 0, users))
            .With(new ModuleChecksum(ClusterModule.ProxysqlServers, version, 0, peers));
        Assert.Equal(expected, snapshot.GlobalChecksum);
    }

    [Theory]
    [InlineData(0UL, "0x0000000000000000")]
    [InlineData(0x27FADDCCFB07C80UL, "0xCFB07C8027FADDC0")] // each half printed without zero padding, then right-filled
    [InlineData(0x7928CC31512EAFABUL, "0x512EAFAB7928CC31")]
    public void Checksum_text_follows_ProxySQLs_format(ulong hash, string expected)
    {
        Assert.Equal(expected, ChecksumText.Format(hash));
    }
}
