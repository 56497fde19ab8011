using BenchmarkDotNet.Attributes;
using ProxyLayer.Config;
using ProxyLayer.Routing;

namespace ProxyLayer.Benchmarks;

/// <summary>
/// Rule evaluation with the seed rules (<c>^SELECT.*FOR UPDATE$</c> → 10, <c>^SELECT</c> → 20). The no-match and
/// match paths should allocate nothing; the digest-rule case pays for the digest string once.
/// </summary>
[MemoryDiagnoser]
public class QueryRuleBenchmarks
{
    private QueryRuleSet _seedRules = QueryRuleSet.Empty;
    private QueryRuleSet _digestRules = QueryRuleSet.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _seedRules = QueryRuleSet.Build(
        [
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT.*FOR UPDATE$", DestinationHostgroup = 10 },
            new QueryRuleConfig { RuleId = 2, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 20 },
        ]).RuleSet!;
        _digestRules = QueryRuleSet.Build(
        [
            new QueryRuleConfig { RuleId = 1, Active = true, MatchDigest = "^SELECT c, pad FROM sbtest1", DestinationHostgroup = 20, Apply = true },
        ]).RuleSet!;
    }

    private static QueryRuleInput Input(string query) => new()
    {
        Query = query.AsMemory(),
        Username = "sbtest",
        Schemaname = "sbtest",
        ClientAddress = "127.0.0.1",
        ProxyAddress = "127.0.0.1",
        ProxyPort = 6033,
    };

    [Benchmark]
    public int? SeedRulesNoMatch() => _seedRules.Evaluate(Input("UPDATE sbtest1 SET k = k + 1 WHERE id = 4711")).DestinationHostgroup;

    [Benchmark]
    public int? SeedRulesPointSelect() => _seedRules.Evaluate(Input("SELECT c, pad FROM sbtest1 WHERE id = 4711")).DestinationHostgroup;

    [Benchmark]
    public int? SeedRulesSelectForUpdate() =>
        _seedRules.Evaluate(Input("SELECT c FROM sbtest1 WHERE id = 4711 FOR UPDATE")).DestinationHostgroup;

    [Benchmark]
    public int? MatchDigestPointSelect() =>
        _digestRules.Evaluate(Input("SELECT c, pad FROM sbtest1 WHERE id = 4711")).DestinationHostgroup;
}
