using ProxyLayer.Config;
using ProxyLayer.Routing;
using ProxyLayer.Sessions;
using static ProxyLayer.Tests.Routing.QueryRuleTestData;

namespace ProxyLayer.Tests.Sessions;

public sealed class StatementPlanTests
{
    private static QueryRuleOutcome Outcome(QueryRuleConfig rule, string query = "SELECT 1") => BuildOrFail(rule).Evaluate(Input(query));

    private static QueryAnnotations Annotations(string query) =>
        QueryAnnotations.TryParse(query, out var annotations) ? annotations : throw new Xunit.Sdk.XunitException("no annotations");

    [Fact]
    public void The_rules_outcome_is_carried_over()
    {
        var outcome = Outcome(new QueryRuleConfig
        {
            RuleId = 1, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 20, Timeout = 100, Retries = 2, Delay = 5,
            CacheTtl = 1000, CacheEmptyResult = 0, MirrorHostgroup = 30, MirrorFlagOut = 4, Log = 1, Multiplex = 0, NextQueryFlagIn = 9,
        });

        var plan = StatementPlan.From(outcome, default);

        Assert.True(plan.RulesEvaluated);
        Assert.Equal((20, 100, 2, 5, 1000, 0, 30, 4, 1, 9), (plan.Hostgroup, plan.Timeout, plan.Retries, plan.Delay, plan.CacheTtl,
            plan.CacheEmptyResult, plan.MirrorHostgroup, plan.MirrorFlagOut, plan.Log, plan.NextQueryFlagIn));
        Assert.True(plan.DisablesMultiplexing);
        Assert.True(plan.Mirrors);
        Assert.False(plan.CreateNewConnection);
    }

    [Fact]
    public void Annotations_override_the_rules()
    {
        var outcome = Outcome(new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "SELECT", DestinationHostgroup = 20, Timeout = 100, CacheTtl = 5 });
        var annotations = Annotations("/* hostgroup=10;query_timeout=700;query_delay=3;query_retries=0;cache_ttl=0;mirror=40;create_new_connection=1 */ SELECT 1");

        var plan = StatementPlan.From(outcome, annotations);

        Assert.Equal((10, 700, 3, 0, 0, 40), (plan.Hostgroup, plan.Timeout, plan.Delay, plan.Retries, plan.CacheTtl, plan.MirrorHostgroup));
        Assert.True(plan.CreateNewConnection);
    }

    [Fact]
    public void Annotations_apply_without_any_rules()
    {
        var plan = StatementPlan.From(null, Annotations("/* hostgroup=10 */ SELECT 1"));

        Assert.False(plan.RulesEvaluated);
        Assert.Equal(10, plan.Hostgroup);
        Assert.False(plan.Mirrors);
    }

    [Fact]
    public void A_statement_that_must_stay_keeps_its_connection_but_its_other_annotations()
    {
        var plan = StatementPlan.From(null, Annotations("/* hostgroup=10;create_new_connection=1;query_timeout=50 */ SELECT 1"), mayMove: false);

        Assert.Null(plan.Hostgroup);
        Assert.False(plan.CreateNewConnection);
        Assert.Equal(50, plan.Timeout);
    }

    [Theory]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    [InlineData(1, false, true)]
    [InlineData(0, true, false)]
    public void The_rules_log_overrides_the_default(int? log, bool defaultLog, bool logs) =>
        Assert.Equal(logs, new StatementPlan { Log = log }.Logs(defaultLog));

    [Fact]
    public void A_mirror_flag_out_alone_mirrors() => Assert.True(new StatementPlan { MirrorFlagOut = 3 }.Mirrors);
}
