using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Gtid;

namespace ProxyLayer.Tests.Gtid;

public sealed class ReadYourWritesSettingsTests
{
    [Theory]
    [InlineData("""{"read_your_writes": true}""", true)]
    [InlineData("""{"read_your_writes": false, "other": 1}""", false)]
    [InlineData("""{"read_your_writes": 1}""", true)]
    [InlineData("""{"read_your_writes": 0}""", false)]
    [InlineData("""{"read_your_writes": "yes"}""", null)]
    [InlineData("""{"default-transaction_isolation": "READ-COMMITTED"}""", null)]
    [InlineData("", null)]
    [InlineData("not json read_your_writes", null)]
    [InlineData("""["read_your_writes"]""", null)]
    public void The_user_attribute_overrides_only_when_it_is_a_boolean(string attributes, bool? expected) =>
        Assert.Equal(expected, ReadYourWritesUsers.Of(attributes));

    [Fact]
    public void The_snapshot_combines_the_switch_the_users_and_the_rules()
    {
        var runtime = new RuntimeConfigManager(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
        var config = ProxyConfig.Empty with
        {
            Users =
            [
                new UserConfig { Username = "on", Password = "p", Attributes = """{"read_your_writes": true}""" },
                new UserConfig { Username = "off", Password = "p", Attributes = """{"read_your_writes": false}""" },
                new UserConfig { Username = "plain", Password = "p" },
            ],
        };
        Assert.True(runtime.Apply(config).Succeeded);
        var snapshot = runtime.Snapshot;
        Assert.True(snapshot.ReadYourWritesInUse); // one user turns it on
        Assert.True(snapshot.ReadYourWritesFor("on"));
        Assert.False(snapshot.ReadYourWritesFor("off"));
        Assert.False(snapshot.ReadYourWritesFor("plain"));

        Assert.True(runtime.Apply(config with { Variables = config.Variables.SetItem("mysql-read_your_writes", "true") }).Succeeded);
        Assert.True(runtime.Snapshot.ReadYourWritesFor("plain"));
        Assert.False(runtime.Snapshot.ReadYourWritesFor("off"));

        var onlyRule = ProxyConfig.Empty with
        {
            QueryRules = [new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 20, GtidFromHostgroup = 10, Apply = true }],
        };
        Assert.True(runtime.Apply(onlyRule).Succeeded);
        Assert.True(runtime.Snapshot.ReadYourWritesInUse);
        Assert.False(runtime.Snapshot.ReadYourWritesFor("anyone"));

        Assert.True(runtime.Apply(ProxyConfig.Empty).Succeeded);
        Assert.False(runtime.Snapshot.ReadYourWritesInUse);
    }

    [Fact]
    public void Counters_split_reads_per_hostgroup_and_total_them_under_proxysqls_names()
    {
        var counters = new ReadYourWritesCounters();
        counters.Count(20, ReadYourWritesOutcome.CaughtUp);
        counters.Count(20, ReadYourWritesOutcome.CaughtUp);
        counters.Count(20, ReadYourWritesOutcome.Waited);
        counters.Count(30, ReadYourWritesOutcome.Writer);
        counters.OnGtidCollected();
        var rows = counters.GlobalRows().ToImmutableDictionary(r => r.Name, r => r.Value);
        Assert.Equal(4, rows["GTID_consistent_queries"]);
        Assert.Equal(1, rows["GTID_session_collected"]);
        Assert.Equal(2, rows["Read_your_writes_caught_up_hg20"]);
        Assert.Equal(1, rows["Read_your_writes_waited_hg20"]);
        Assert.Equal(0, rows["Read_your_writes_writer_hg20"]);
        Assert.Equal(1, rows["Read_your_writes_writer_hg30"]);
    }
}
