using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ProxyLayer.Routing;
using static ProxyLayer.Tests.Routing.QueryRuleTestData;

namespace ProxyLayer.Tests.Routing;

/// <summary>Which engine a rule's regex gets, and that no pattern can make a statement wait on it.</summary>
public sealed class QueryRuleRegexTests
{
    [Theory]
    [InlineData("^SELECT", true)]
    [InlineData("^SELECT.*FOR UPDATE$", true)]
    [InlineData("^SELECT.*? FOR UPDATE", true)]
    [InlineData("FOR UPDATE$", true)]
    [InlineData("^(SELECT|SHOW) ", true)]
    [InlineData(@"^SELECT [a-z_]+ FROM", true)]
    [InlineData(@"\bsbtest\d\b", true)]
    [InlineData("^SELECT c,\\s*pad FROM sbtest\\d+", false)]
    [InlineData("SELECT.*FOR UPDATE", false)]
    [InlineData("^a.*|b", false)]
    [InlineData("^(a+)+$", false)]
    [InlineData("^(ab)?c", false)]
    [InlineData("^(?:x|y){2}", false)]
    [InlineData("^.*.*=.*$", false)]
    [InlineData("^[(]a*", true)]
    [InlineData("^[]a]+", true)]
    [InlineData("^(?x) a* b*", false)]
    [InlineData(@"^(\w+) \1", false)]
    [InlineData(@"^(?<w>\w+) \k<w>", false)]
    [InlineData(@"^SELECT \d", true)]
    public void Only_patterns_with_bounded_backtracking_count_as_linear(string pattern, bool linear) =>
        Assert.Equal(linear, BacktrackingBound.IsLinear(pattern));

    [Theory]
    [InlineData("^SELECT.*FOR UPDATE$", RegexOptions.Compiled, false)]
    [InlineData("^(a+)+$", RegexOptions.NonBacktracking, false)]
    [InlineData("^SELECT c,\\s*pad FROM sbtest\\d+", RegexOptions.NonBacktracking, false)]
    [InlineData(@"^(\w+) \1", RegexOptions.Compiled, true)]
    [InlineData("^(?!SELECT).*", RegexOptions.Compiled, false)]
    [InlineData("^(?!SELECT).*x.*", RegexOptions.Compiled, true)]
    public void Each_pattern_gets_the_fastest_engine_that_bounds_it(string pattern, RegexOptions engine, bool timed)
    {
        var regex = QueryRuleRegex.Create(pattern, caseless: true, TimeSpan.FromMilliseconds(100));
        Assert.Equal(engine, regex.Options & (RegexOptions.Compiled | RegexOptions.NonBacktracking));
        // Only unbounded backtracking needs the timeout, which a descheduled thread could otherwise trip.
        Assert.Equal(timed ? TimeSpan.FromMilliseconds(100) : Regex.InfiniteMatchTimeout, regex.MatchTimeout);
        Assert.True(regex.Options.HasFlag(RegexOptions.IgnoreCase));
    }

    [Fact]
    public void A_catastrophic_pattern_answers_at_once_instead_of_timing_out()
    {
        var rules = BuildOrFail(Rule(1, "^(\\w+\\s?)+$", hostgroup: 10), Rule(2, "^SELECT", hostgroup: 20));
        var query = "SELECT " + new string('a', 100_000) + "!";

        var watch = Stopwatch.StartNew();
        var outcome = rules.Evaluate(Input(query));

        Assert.Equal(20, outcome.DestinationHostgroup);
        Assert.Equal(0, rules.RegexTimeouts);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(@"^SELECT (\w+), (\w+) FROM (\w+)", @"SELECT \2, \1 FROM \3", "SELECT a, b FROM t WHERE x = 1")]
    [InlineData(@"(\d+)+x?", @"<\1>", "id = 12345 and 678")]
    [InlineData(@"(a|ab)(c|bcd)(d*)", @"[\1|\2|\3]", "abcd abcd")]
    [InlineData(@"\s+", " ", "SELECT   1,\t\t2\n FROM  t")]
    [InlineData(@"(.*?)=(.*)", @"\2=\1", "a=b=c")]
    public void Rewrites_are_the_same_on_either_engine(string pattern, string replacement, string query)
    {
        var dotNet = ReplacementTranslator.ToDotNet(replacement, out _);
        var backtracking = new Regex(pattern, RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var linear = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        Assert.Equal(backtracking.Replace(query, dotNet), linear.Replace(query, dotNet));
        Assert.Equal(backtracking.Replace(query, dotNet, 1), linear.Replace(query, dotNet, 1));
    }

    [Fact]
    public void A_timeout_is_counted_every_time_and_logged_once_per_rule()
    {
        var logger = new CountingLogger();
        var options = new QueryRuleSetOptions { RegexMatchTimeout = TimeSpan.FromMilliseconds(1), Logger = logger };
        var rules = Assert.IsType<QueryRuleSet>(QueryRuleSet.Build([Rule(7, "^(?=a)(a+)+$", hostgroup: 10)], options).RuleSet);

        for (var i = 0; i < 3; i++)
            Assert.False(rules.Evaluate(Input(new string('a', 5000) + "!")).Matched);

        Assert.Equal(3, rules.RegexTimeouts);
        Assert.Contains("query rule 7", Assert.Single(logger.Messages), StringComparison.Ordinal);
    }

    private sealed class CountingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
