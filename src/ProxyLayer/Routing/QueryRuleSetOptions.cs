using Microsoft.Extensions.Logging;

namespace ProxyLayer.Routing;

/// <summary>How a <see cref="QueryRuleSet"/> is built: regex limits and the digest variables.</summary>
public sealed record QueryRuleSetOptions
{
    public static QueryRuleSetOptions Default { get; } = new();

    /// <summary>
    /// Upper bound for one regex test. Only patterns NonBacktracking cannot run (backreferences, lookarounds) can
    /// come near it (see <see cref="QueryRuleRegex"/>); such a test then counts as "no match" (see
    /// <see cref="QueryRuleSet.RegexTimeouts"/>) instead of stalling the session. 100 ms is a thousand times a slow
    /// rule test (about 100 ns) and still short next to a client's query timeout.
    /// </summary>
    public TimeSpan RegexMatchTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest match_pattern, match_digest or replace_pattern a LOAD accepts, in characters. Real rules are a
    /// few hundred characters; alternations of a few hundred table names stay under 10 KB. 32 KB leaves room for
    /// those while bounding what one rule costs to compile, hold and match (matching is proportional to pattern length).
    /// </summary>
    public int MaxPatternLength { get; init; } = 32 * 1024;

    public QueryDigestOptions DigestOptions { get; init; } = QueryDigestOptions.Default;

    /// <summary>Where the rule set says that a rule's regex timed out (once per rule); null: nowhere.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Draws the weighted flagOUT picks; tests pass a seeded one. Must be thread-safe when shared by sessions.</summary>
    public Random Random { get; init; } = Random.Shared;
}
