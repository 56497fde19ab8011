using ProxyLayer.Config;
using ProxyLayer.Routing;
using static ProxyLayer.Tests.Routing.QueryRuleTestData;

namespace ProxyLayer.Tests.Routing;

public sealed class FastRoutingTests
{
    private static FastRoutingConfig Route(string user, string schema, int hostgroup, int flagIn = 0) =>
        new() { Username = user, Schemaname = schema, FlagIn = flagIn, DestinationHostgroup = hostgroup };

    private static FastRoutingTable TableOf(params FastRoutingConfig[] rows)
    {
        var result = FastRoutingTable.Build(rows);
        Assert.True(result.Errors.IsEmpty, string.Join("; ", result.Errors));
        return result.Table!;
    }

    [Fact]
    public void Lookup_is_by_user_schema_and_flagIn()
    {
        var table = TableOf(Route("app", "shop", 30), Route("app", "shop", 31, flagIn: 5), Route("app", "crm", 32));

        Assert.True(table.TryFind("app", "shop", 0, out var hostgroup));
        Assert.Equal(30, hostgroup);
        Assert.True(table.TryFind("app", "shop", 5, out hostgroup));
        Assert.Equal(31, hostgroup);
        Assert.True(table.TryFind("app", "crm", 0, out hostgroup));
        Assert.Equal(32, hostgroup);
        Assert.False(table.TryFind("app", "shop", 1, out _));
        Assert.False(table.TryFind("other", "shop", 0, out _));
        Assert.False(table.TryFind("APP", "shop", 0, out _)); // exact, as ProxySQL's hash of the bytes
    }

    [Fact]
    public void An_empty_username_matches_every_user_after_the_exact_one()
    {
        var table = TableOf(Route("", "shop", 40), Route("app", "shop", 30));

        Assert.True(table.TryFind("app", "shop", 0, out var hostgroup));
        Assert.Equal(30, hostgroup);
        Assert.True(table.TryFind("reporting", "shop", 0, out hostgroup));
        Assert.Equal(40, hostgroup);
        Assert.False(table.TryFind("reporting", "crm", 0, out _));
    }

    [Fact]
    public void Invalid_rows_are_errors_naming_the_row_and_nothing_is_built()
    {
        var result = FastRoutingTable.Build([Route("app", "shop", 30), Route("app", "shop", 31), Route("x", "y", -1)]);

        Assert.Null(result.Table);
        Assert.Equal(2, result.Errors.Length);
        Assert.Contains("username='app', schemaname='shop', flagIN=0", result.Errors[0], StringComparison.Ordinal);
        Assert.Contains("duplicate", result.Errors[0], StringComparison.Ordinal);
        Assert.Contains("username='x', schemaname='y'", result.Errors[1], StringComparison.Ordinal);
        Assert.Contains("destination_hostgroup -1", result.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Consulted_when_no_rule_applied_with_the_flagIn_the_chain_ended_at()
    {
        var rules = BuildOrFail(
            Rule(1, "^SELECT", hostgroup: 20) with { FlagOut = 7 },
            Rule(2, "^INSERT", hostgroup: 10, apply: true));
        var table = TableOf(Route("app", "shop", 30, flagIn: 7), Route("app", "shop", 31));

        var select = rules.Evaluate(Input("SELECT 1"), table);
        var update = rules.Evaluate(Input("UPDATE t SET a = 1"), table);

        Assert.Equal(30, select.DestinationHostgroup); // overrides rule 1's 20: rule 1 has no apply
        Assert.True(select.FastRouted);
        Assert.Equal(31, update.DestinationHostgroup); // no rule matched: flagIN 0
        Assert.True(update.FastRouted);
    }

    [Fact]
    public void Not_consulted_after_an_apply_rule()
    {
        var rules = BuildOrFail(Rule(1, "^INSERT", hostgroup: 10, apply: true));
        var table = TableOf(Route("app", "shop", 30));

        var insert = rules.Evaluate(Input("INSERT INTO t VALUES (1)"), table);

        Assert.Equal(10, insert.DestinationHostgroup);
        Assert.False(insert.FastRouted);
    }

    [Fact]
    public void Works_without_any_query_rule()
    {
        var table = TableOf(Route("app", "shop", 30));

        Assert.Equal(30, QueryRuleSet.Empty.Evaluate(Input("SELECT 1"), table).DestinationHostgroup);
        Assert.Null(QueryRuleSet.Empty.Evaluate(Input("SELECT 1", schemaname: "crm"), table).DestinationHostgroup);
    }

    [Fact]
    public void Load_compiles_the_rows_into_the_snapshot_or_rejects_them_whole()
    {
        var manager = new RuntimeConfigManager(new ProxyLayer.Backends.BackendServerRegistry(), Microsoft.Extensions.Logging.Abstractions.NullLogger<RuntimeConfigManager>.Instance);

        Assert.True(manager.Apply(ProxyConfig.Empty with { FastRouting = [Route("app", "shop", 30)] }).Succeeded);
        Assert.True(manager.Snapshot.FastRouting.TryFind("app", "shop", 0, out var hostgroup));
        Assert.Equal(30, hostgroup);

        var rejected = manager.Apply(ProxyConfig.Empty with { FastRouting = [Route("app", "shop", 31), Route("app", "shop", 32)] });
        Assert.False(rejected.Succeeded);
        Assert.Contains("duplicate row", Assert.Single(rejected.Errors), StringComparison.Ordinal);
        Assert.True(manager.Snapshot.FastRouting.TryFind("app", "shop", 0, out hostgroup));
        Assert.Equal(30, hostgroup);
    }
}
