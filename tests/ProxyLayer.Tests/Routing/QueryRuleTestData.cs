using ProxyLayer.Config;
using ProxyLayer.Routing;

namespace ProxyLayer.Tests.Routing;

internal static class QueryRuleTestData
{
    public static QueryRuleConfig Rule(int id, string? matchPattern = null, int? hostgroup = null, bool apply = false) =>
        new() { RuleId = id, Active = true, MatchPattern = matchPattern, DestinationHostgroup = hostgroup, Apply = apply };

    /// <summary>The classic read/write split with the mistake: rule 1 lacks apply=1, so rule 2 always wins.</summary>
    public static QueryRuleConfig[] SeedRules(bool applyOnFirst = false) =>
    [
        Rule(1, "^SELECT.*FOR UPDATE$", hostgroup: 10, apply: applyOnFirst),
        Rule(2, "^SELECT", hostgroup: 20),
    ];

    public static QueryRuleSet BuildOrFail(params QueryRuleConfig[] rules)
    {
        var result = QueryRuleSet.Build(rules);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.RuleSet;
    }

    public static QueryRuleInput Input(string query, string? username = "app", string? schemaname = "shop") => new()
    {
        Query = query.AsMemory(),
        Username = username,
        Schemaname = schemaname,
        ClientAddress = "10.0.0.5",
        ProxyAddress = "127.0.0.1",
        ProxyPort = 6033,
    };
}
