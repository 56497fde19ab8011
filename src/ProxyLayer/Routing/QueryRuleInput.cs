namespace ProxyLayer.Routing;

/// <summary>What the rules look at for one statement. Passed by <c>in</c>, so building it costs nothing.</summary>
public readonly record struct QueryRuleInput
{
    /// <summary>The statement's text (a session's pooled buffer: valid during the evaluation only).</summary>
    public required ReadOnlyMemory<char> Query { get; init; }
    public string? Username { get; init; }
    public string? Schemaname { get; init; }
    public string? ClientAddress { get; init; }
    public string? ProxyAddress { get; init; }
    public int ProxyPort { get; init; }

    /// <summary>The starting flagIN: 0, or the session's pending next_query_flagIN.</summary>
    public int FlagIn { get; init; }

    /// <summary>
    /// The digest if the caller already has it. Otherwise the rule set computes it, once, only when it reaches a rule
    /// with a <c>digest</c> or <c>match_digest</c> filter, and hands it back in <see cref="QueryRuleOutcome.Digest"/>.
    /// </summary>
    public QueryDigestResult? Digest { get; init; }
}
