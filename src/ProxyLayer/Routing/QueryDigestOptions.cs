namespace ProxyLayer.Routing;

/// <summary>
/// The <c>mysql-query_digests_*</c> variables that shape a digest. Defaults are ProxySQL's code defaults.
/// </summary>
public sealed record QueryDigestOptions
{
    public static QueryDigestOptions Default { get; } = new();

    /// <summary>Only this many characters of a query are examined (<c>query_digests_max_query_length</c>).</summary>
    public int MaxQueryLength { get; init; } = 65000;

    /// <summary>The digest text, and so the hash input, is cut to this many characters (<c>query_digests_max_digest_length</c>).</summary>
    public int MaxDigestLength { get; init; } = 2048;

    /// <summary><c>NULL</c> becomes <c>?</c> (<c>query_digests_replace_null</c>).</summary>
    public bool ReplaceNull { get; init; }

    /// <summary>Digit runs inside identifiers become <c>?</c> (<c>query_digests_no_digits</c>).</summary>
    public bool NoDigits { get; init; }

    /// <summary>The digest text is lower-cased (<c>query_digests_lowercase</c>).</summary>
    public bool Lowercase { get; init; }

    /// <summary>All comments are kept, not only executable <c>/*!…*/</c> ones (<c>query_digests_keep_comment</c>).</summary>
    public bool KeepComment { get; init; }

    /// <summary>
    /// Comma-separated runs of <c>?</c> longer than this + 1 keep this many then <c>,...</c> (ProxySQL keeps 4 values
    /// at limit 3, per its own test payloads); 0 turns grouping off (<c>query_digests_grouping_limit</c>).
    /// </summary>
    public int GroupingLimit { get; init; } = 3;

    /// <summary>Longer runs of <c>(?,…)</c> groups keep this many then <c>,...</c>; 0 turns it off (<c>query_digests_groups_grouping_limit</c>).</summary>
    public int GroupsGroupingLimit { get; init; } = 10;
}
