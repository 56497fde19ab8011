using ProxyLayer.Config;

namespace ProxyLayer.Tests.Config;

public class ConfigFileWriterTests
{
    private static void AssertSameConfig(ProxyConfig expected, ProxyConfig actual)
    {
        Assert.Equal(expected.Variables.ToArray(), actual.Variables.ToArray());
        Assert.Equal(expected.Servers.ToArray(), actual.Servers.ToArray());
        Assert.Equal(expected.Users.ToArray(), actual.Users.ToArray());
        Assert.Equal(expected.QueryRules.ToArray(), actual.QueryRules.ToArray());
        Assert.Equal(expected.FastRouting.ToArray(), actual.FastRouting.ToArray());
        Assert.Equal(expected.ReplicationHostgroups.ToArray(), actual.ReplicationHostgroups.ToArray());
        Assert.Equal(expected.Scheduler.ToArray(), actual.Scheduler.ToArray());
    }

    [Fact]
    public void Scheduler_rows_round_trip_with_null_and_empty_arguments_kept_apart()
    {
        var config = ProxyConfig.Empty with
        {
            Scheduler =
            [
                new SchedulerJobConfig { Id = 1, IntervalMs = 5000, Filename = "/usr/local/bin/check \"galera\"", Arg1 = "--writer=10", Arg2 = "", Comment = "checker" },
                new SchedulerJobConfig { Id = 7, Active = false, IntervalMs = 100, Filename = "/bin/true", Arg1 = null, Arg2 = "ignored after a NULL" },
            ],
        };

        string text = ConfigFileWriter.Write(config, datadir: null);
        var reread = ConfigFileReader.ReadText(text);

        AssertSameConfig(config, reread.Config);
        Assert.Contains("arg2=\"\"", text, StringComparison.Ordinal);
        Assert.Empty(reread.Warnings);
        Assert.Equal(["--writer=10", ""], reread.Config.Scheduler[0].Arguments.ToArray());
        Assert.Empty(reread.Config.Scheduler[1].Arguments);
    }

    [Fact]
    public void Full_sample_round_trips()
    {
        var original = ConfigFileReader.ReadText(SampleConfigs.Full);

        string text = ConfigFileWriter.Write(original.Config, original.Datadir);
        var reread = ConfigFileReader.ReadText(text);

        AssertSameConfig(original.Config, reread.Config);
        Assert.Equal("/var/lib/proxysql", reread.Datadir);
        Assert.Empty(reread.Warnings);
    }

    [Fact]
    public void Awkward_strings_and_all_rule_columns_round_trip()
    {
        var config = ProxyConfig.Empty with
        {
            Variables = ProxyConfig.Empty.Variables
                .Add("mysql-server_version", "8.0.11 \"quoted\" \\ back\nslash")
                .Add("admin-admin_credentials", "admin:admin;radmin:radmin"),
            Servers = [new ServerConfig { Hostname = "db1", HostgroupId = 2, Status = ServerStatus.OfflineSoft, Compression = true, Comment = "tab\there" }],
            Users = [new UserConfig { Username = "u", Password = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", Active = false, FastForward = true }],
            QueryRules =
            [
                new QueryRuleConfig
                {
                    RuleId = 1, Active = true, MatchDigest = "^SELECT \\d+", FlagOut = 2, CacheTtl = 0, OkMsg = "done",
                    GtidFromHostgroup = 3, Apply = true, Attributes = "{\"a\":1}", Comment = "c",
                },
            ],
            FastRouting =
            [
                new FastRoutingConfig { Username = "u", Schemaname = "shop", FlagIn = 3, DestinationHostgroup = 20, Comment = "reads" },
                new FastRoutingConfig { Username = "", Schemaname = "crm", DestinationHostgroup = 0 },
            ],
            ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = 1, ReaderHostgroup = 2, CheckType = "super_read_only" }],
        };

        var reread = ConfigFileReader.ReadText(ConfigFileWriter.Write(config, datadir: null));

        AssertSameConfig(config, reread.Config);
        Assert.Null(reread.Datadir);
    }

    [Fact]
    public void Layout_matches_select_config_file()
    {
        var config = ProxyConfig.Empty with
        {
            Variables = ProxyConfig.Empty.Variables.Add("mysql-threads", "4").Add("admin-read_only", "false"),
            Servers = [new ServerConfig { Hostname = "10.0.0.1", HostgroupId = 10 }],
        };

        string text = ConfigFileWriter.Write(config, "/var/lib/proxysql");

        Assert.Equal("""
            datadir="/var/lib/proxysql"

            admin_variables=
            {
            	read_only="false"
            }

            mysql_variables=
            {
            	threads="4"
            }

            mysql_servers=
            (
            	{
            		hostgroup_id=10
            		hostname="10.0.0.1"
            		port=3306
            		gtid_port=0
            		status="ONLINE"
            		weight=1
            		compression=0
            		max_connections=1000
            		max_replication_lag=0
            		use_ssl=0
            		max_latency_ms=0
            	}
            )

            """, text);
    }
}

public class GaleraHostgroupsConfigFileTests
{
    [Fact]
    public void Galera_hostgroups_are_read_with_proxysql_defaults_and_round_trip()
    {
        var file = ConfigFileReader.ReadText("""
            mysql_galera_hostgroups = ( { writer_hostgroup=10, backup_writer_hostgroup=20, reader_hostgroup=30, offline_hostgroup=40,
                                          writer_is_also_reader=2, max_transactions_behind=100, comment="pxc" },
                                        { writer_hostgroup=50, backup_writer_hostgroup=60, reader_hostgroup=70, offline_hostgroup=80, active=0 } )
            """);
        Assert.Empty(file.Warnings);
        var first = file.Config.GaleraHostgroups[0];
        Assert.Equal((10, 20, 30, 40, true, 1, 2, 100, "pxc"), (first.WriterHostgroup, first.BackupWriterHostgroup, first.ReaderHostgroup,
            first.OfflineHostgroup, first.Active, first.MaxWriters, first.WriterIsAlsoReader, first.MaxTransactionsBehind, first.Comment));
        Assert.False(file.Config.GaleraHostgroups[1].Active);
        var reread = ConfigFileReader.ReadText(ConfigFileWriter.Write(file.Config, null));
        Assert.Equal(file.Config.GaleraHostgroups.ToArray(), reread.Config.GaleraHostgroups.ToArray());
    }
}
