using ProxyLayer.Config;
using ProxyLayer.Routing;
using static ProxyLayer.Tests.Routing.QueryRuleTestData;

namespace ProxyLayer.Tests.Routing;

public sealed class WeightedFlagOutsTests
{
    private static QueryRuleSet BuildSeeded(int seed, params QueryRuleConfig[] rules)
    {
        var result = QueryRuleSet.Build(rules, new QueryRuleSetOptions { Random = new Random(seed) });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.RuleSet;
    }

    /// <summary>Rule 1 picks flagIN 1 or 2 by weight; the chains end in hostgroups 10 and 20.</summary>
    private static QueryRuleConfig[] SplitRules(string attributes) =>
    [
        Rule(1, "^SELECT") with { Attributes = attributes },
        Rule(2) with { FlagIn = 1, DestinationHostgroup = 10, Apply = true },
        Rule(3) with { FlagIn = 2, DestinationHostgroup = 20, Apply = true },
    ];

    [Fact]
    public void The_flagOUT_is_picked_in_proportion_to_the_weights()
    {
        var rules = BuildSeeded(42, SplitRules("""{"flagOUTs":[{"id":1,"weight":1000},{"id":2,"weight":100}]}"""));

        var counts = new Dictionary<int, int>();
        for (var i = 0; i < 11_000; i++)
        {
            var hostgroup = rules.Evaluate(Input("SELECT 1")).DestinationHostgroup!.Value;
            counts[hostgroup] = counts.GetValueOrDefault(hostgroup) + 1;
        }

        Assert.Equal([10, 20], counts.Keys.Order());
        Assert.InRange(counts[10], 9_700, 10_300); // expected 10 000
        Assert.InRange(counts[20], 700, 1_300); // expected 1 000
    }

    [Fact]
    public void The_same_seed_gives_the_same_picks()
    {
        const string attributes = """{"flagOUTs":[{"id":1,"weight":1},{"id":2,"weight":1}]}""";
        int?[] Picks(QueryRuleSet rules) => [.. Enumerable.Range(0, 50).Select(_ => rules.Evaluate(Input("SELECT 1")).DestinationHostgroup)];

        Assert.Equal(Picks(BuildSeeded(7, SplitRules(attributes))), Picks(BuildSeeded(7, SplitRules(attributes))));
    }

    [Fact]
    public void A_zero_weight_is_never_picked()
    {
        var rules = BuildSeeded(1, SplitRules("""{"flagOUTs":[{"id":1,"weight":0},{"id":2,"weight":5}]}"""));

        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal(20, rules.Evaluate(Input("SELECT 1")).DestinationHostgroup));
    }

    [Fact]
    public void The_flagOUT_column_wins_over_the_weights_with_a_warning()
    {
        var rules = SplitRules("""{"flagOUTs":[{"id":1,"weight":1}]}""");
        rules[0] = rules[0] with { FlagOut = 2 };
        var result = QueryRuleSet.Build(rules);

        Assert.True(result.Succeeded);
        Assert.Contains(result.Warnings, w => w.RuleId == 1 && w.Message.Contains("flagOUT=2 takes precedence", StringComparison.Ordinal));
        Assert.Equal(20, result.RuleSet.Evaluate(Input("SELECT 1")).DestinationHostgroup);
    }

    [Fact]
    public void Weights_apply_only_when_the_rule_matches()
    {
        var rules = BuildSeeded(3, [.. SplitRules("""{"flagOUTs":[{"id":1,"weight":1}]}"""), Rule(4, hostgroup: 40)]);

        Assert.Equal(40, rules.Evaluate(Input("INSERT INTO t VALUES (1)")).DestinationHostgroup);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("""{"flagOUTs":{"id":1,"weight":1}}""", "must be an array")]
    [InlineData("""{"flagOUTs":[5]}""", "flagOUTs[0] must be an object")]
    [InlineData("""{"flagOUTs":[{"id":1}]}""", "flagOUTs[0] has no \"weight\"")]
    [InlineData("""{"flagOUTs":[{"id":1,"weight":1},{"id":-2,"weight":1}]}""", "flagOUTs[1].id must be an integer")]
    [InlineData("""{"flagOUTs":[{"id":1,"weight":"10"}]}""", "flagOUTs[0].weight must be an integer")]
    [InlineData("""{"flagOUTs":[{"id":1,"weight":1.5}]}""", "flagOUTs[0].weight must be an integer")]
    [InlineData("""{"flagOUTs":[{"id":1,"weight":2000000000},{"id":2,"weight":2000000000}]}""", "add up to 4000000000")]
    public void Invalid_attributes_are_errors_naming_the_rule(string attributes, string expected)
    {
        var result = QueryRuleSet.Build([Rule(1, "^SELECT"), Rule(5, "^SELECT") with { Attributes = attributes }]);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.RuleId);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("mysql_query_rules rule_id 5: attributes", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"flagOUTs":[]}""", "empty")]
    [InlineData("""{"flagOUTs":[{"id":1,"weight":0}]}""", "all 0")]
    [InlineData("""{"other":1}""", "'other' is not used")]
    public void Harmless_oddities_are_warnings(string attributes, string expected)
    {
        var result = QueryRuleSet.Build([Rule(1, "^SELECT") with { Attributes = attributes }]);

        Assert.True(result.Succeeded);
        Assert.Contains(expected, Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_rule_attribute_rejects_the_whole_load()
    {
        var manager = new RuntimeConfigManager(new ProxyLayer.Backends.BackendServerRegistry(), Microsoft.Extensions.Logging.Abstractions.NullLogger<RuntimeConfigManager>.Instance);
        var result = manager.Apply(ProxyConfig.Empty with { QueryRules = [Rule(9, "^SELECT") with { Attributes = """{"flagOUTs":"x"}""" }] });

        Assert.False(result.Succeeded);
        Assert.Contains("rule_id 9", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(0, manager.Snapshot.Rules.Count);
    }
}
