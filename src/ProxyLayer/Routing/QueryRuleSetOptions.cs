namespace ProxyLayer.Routing;

/// <summary>How a <see cref="QueryRuleSet"/> is built: regex limits and the digest variables.</summary>
public sealed record QueryRuleSetOptions
{
    public static QueryRuleSetOptions Default { get; } = new();

    /// <summary>
    /// Upper bound for one regex test. A pattern that backtracks catastrophically on some query then counts as
    /// "no match" (see <see cref="QueryRuleSet.RegexTimeouts"/>) instead of stalling the session.
    /// </summary>
    public TimeSpan RegexMatchTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest match_pattern, match_digest or replace_pattern a LOAD accepts, in characters. Real rules are a
    /// few hundred characters; alternations of a few hundred table names stay under 10 KB. 32 KB leaves room for
    /// those while bounding what one rule costs to compile and hold (a 1 MB pattern takes seconds to compile).
    /// </summary>
    public int MaxPatternLength { get; init; } = 32 * 1024;

    public QueryDigestOptions DigestOptions { get; init; } = QueryDigestOptions.Default;

    /// <summary>Draws the weighted flagOUT picks; tests pass a seeded one. Must be thread-safe when shared by sessions.</summary>
    public Random Random { get; init; } = Random.Shared;
}
