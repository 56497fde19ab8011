using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Config;

namespace ProxyLayer.Routing;

/// <summary>
/// The active <c>mysql_query_rules</c>, compiled once per LOAD and then shared by every session (spec §5.2).
/// Immutable apart from the hit counters, which are updated with <see cref="Interlocked"/>.
/// </summary>
public sealed partial class QueryRuleSet
{
    private readonly CompiledQueryRule[] _rules;
    private readonly long[] _hits;
    private readonly QueryDigestOptions _digestOptions;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly int[] _timedOut;
    private long _regexTimeouts;

    internal QueryRuleSet(CompiledQueryRule[] rules, QueryDigestOptions digestOptions, Random random, ILogger? logger = null)
    {
        _rules = rules;
        _hits = new long[rules.Length];
        _timedOut = new int[rules.Length];
        _digestOptions = digestOptions;
        _random = random;
        _logger = logger ?? NullLogger.Instance;
    }

    public static QueryRuleSet Empty { get; } = new([], QueryDigestOptions.Default, Random.Shared);

    /// <summary>Compiles the active rules in rule_id order, or reports every error and compiles nothing.</summary>
    public static QueryRuleSetBuildResult Build(IEnumerable<QueryRuleConfig> rules, QueryRuleSetOptions? options = null) =>
        QueryRuleCompiler.Build(rules, options ?? QueryRuleSetOptions.Default);

    public int Count => _rules.Length;

    /// <summary>Regex tests abandoned at the match timeout (each counted as "no match").</summary>
    public long RegexTimeouts => Interlocked.Read(ref _regexTimeouts);

    /// <summary>Hit counters in rule_id order, for <c>stats_mysql_query_rules</c>.</summary>
    public ImmutableArray<QueryRuleHits> GetHits()
    {
        var hits = ImmutableArray.CreateBuilder<QueryRuleHits>(_rules.Length);
        for (var i = 0; i < _rules.Length; i++)
        {
            hits.Add(new QueryRuleHits(_rules[i].RuleId, Interlocked.Read(ref _hits[i])));
        }

        return hits.MoveToImmutable();
    }

    /// <summary>
    /// Runs the rules for one statement: from <see cref="QueryRuleInput.FlagIn"/>, in rule_id order, skipping rules
    /// for another flagIN or whose filters fail; a match merges its actions, may rewrite the query, stops on apply=1,
    /// and otherwise moves to its flagOUT (or weighted attributes.flagOUTs pick) for the rules after it. If no apply=1
    /// rule matched,
    /// <paramref name="fastRouting"/> is looked up with the flagIN the chain ended at, and a row found there decides
    /// the destination hostgroup (ProxySQL's order).
    /// </summary>
    public QueryRuleOutcome Evaluate(in QueryRuleInput input, FastRoutingTable? fastRouting = null)
    {
        var outcome = new QueryRuleOutcome { Digest = input.Digest };
        var flagIn = input.FlagIn;
        var query = input.Query;

        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            var config = rule.Config;
            if (config.FlagIn != flagIn || !rule.MatchesConnection(input) || !MatchesText(i, query, ref outcome, input))
            {
                continue;
            }

            Interlocked.Increment(ref _hits[i]);
            outcome.Apply(config);

            if (rule.Replacement is not null && !config.NegateMatchPattern)
            {
                var rewritten = Rewrite(i, query.ToString());
                outcome.RewrittenQuery = rewritten;
                query = rewritten.AsMemory();
            }

            if (config.Apply)
            {
                return outcome;
            }

            // A weighted pick first, then the flagOUT column, which wins when both are set (ProxySQL's order).
            flagIn = config.FlagOut ?? rule.FlagOuts?.Pick(_random) ?? flagIn;
        }

        if (fastRouting is not null && fastRouting.TryFind(input.Username, input.Schemaname, flagIn, out var hostgroup))
        {
            outcome.RouteFast(hostgroup);
        }

        return outcome;
    }

    private bool MatchesText(int index, ReadOnlyMemory<char> query, ref QueryRuleOutcome outcome, in QueryRuleInput input)
    {
        var rule = _rules[index];
        if (rule.NeedsDigest)
        {
            // Computed at most once per statement, and only when a rule that needs it is reached.
            outcome.Digest ??= QueryDigest.Compute(input.Query.Span, _digestOptions);
            var digest = outcome.Digest.GetValueOrDefault();
            if (rule.Digest is { } expected && digest.Hash != expected)
            {
                return false;
            }

            if (rule.MatchDigest is { } matchDigest && !Passes(index, matchDigest, digest.Text, rule.Config.NegateMatchPattern))
            {
                return false;
            }
        }

        // match_pattern sees the query as rewritten by earlier rules.
        return rule.MatchPattern is not { } pattern || Passes(index, pattern, query.Span, rule.Config.NegateMatchPattern);
    }

    /// <summary>The regex test, inverted by negate_match_pattern. A timed-out test fails either way.</summary>
    private bool Passes(int index, Regex regex, ReadOnlySpan<char> text, bool negate)
    {
        try
        {
            return regex.IsMatch(text) != negate;
        }
        catch (RegexMatchTimeoutException)
        {
            CountTimeout(index);
            return false;
        }
    }

    private string Rewrite(int index, string query)
    {
        var rule = _rules[index];
        try
        {
            return rule.ReplacesAll
                ? rule.MatchPattern!.Replace(query, rule.Replacement!)
                : rule.MatchPattern!.Replace(query, rule.Replacement!, 1);
        }
        catch (RegexMatchTimeoutException)
        {
            CountTimeout(index);
            return query;
        }
    }

    /// <summary>Every timeout is counted; the log says it once per rule and rule set, not once per statement.</summary>
    private void CountTimeout(int index)
    {
        Interlocked.Increment(ref _regexTimeouts);
        if (Interlocked.Exchange(ref _timedOut[index], 1) == 0)
            LogRegexTimeout(_rules[index].RuleId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "query rule {RuleId}: a regex test ran past the match timeout and was taken as no match; " +
        "further timeouts of this rule are counted (stats_mysql_global Query_rules_regex_timeouts) but not logged")]
    private partial void LogRegexTimeout(int ruleId);
}
