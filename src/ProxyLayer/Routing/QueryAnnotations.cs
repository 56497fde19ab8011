namespace ProxyLayer.Routing;

/// <summary>
/// ProxySQL's query annotations: the <c>key=value</c> pairs, separated by <c>;</c>, of the comment a statement starts
/// with, e.g. <c>/* hostgroup=20;query_timeout=500 */ SELECT …</c>. They override what the rules decided. Keys are
/// case-insensitive; a value counts only if it starts with a digit (as ProxySQL's <c>atoi</c> test); unknown keys
/// and malformed pairs are ignored. Only a leading comment is read, so a statement without one costs one character
/// test.
/// </summary>
public readonly record struct QueryAnnotations
{
    /// <summary>ProxySQL reads at most this much of the first comment.</summary>
    public const int MaxCommentLength = 1024;

    /// <summary>ProxySQL's bound for <c>max_lag_ms</c> and for the lag that <c>min_epoch_ms</c> implies.</summary>
    private const int MaxLagLimitMs = 600_000;

    public int? Hostgroup { get; init; }
    public int? QueryTimeout { get; init; }
    public int? QueryDelay { get; init; }
    public int? QueryRetries { get; init; }
    public int? CacheTtl { get; init; }
    /// <summary><c>mirror=N</c>: a copy of the statement goes to hostgroup N.</summary>
    public int? MirrorHostgroup { get; init; }
    /// <summary><c>max_lag_ms</c>, or the lag <c>min_epoch_ms</c> allows (ProxySQL uses it for Aurora replicas).</summary>
    public int? MaxLagMs { get; init; }
    /// <summary><c>create_new_connection=1</c>: the statement runs on a newly opened backend connection.</summary>
    public bool CreateNewConnection { get; init; }
    /// <summary>
    /// <c>min_gtid=d-s-n[,d-s-n…]</c> (ProxyLayer's own; ProxySQL and MaxScale have no such annotation): a read that
    /// must go to a server that has applied these MariaDB GTIDs, as read-your-writes does for a session's own writes.
    /// Kept only if every part is a GTID.
    /// </summary>
    public string? MinGtid { get; init; }

    /// <summary>True when at least one known key was set.</summary>
    public bool Any => Hostgroup is not null || QueryTimeout is not null || QueryDelay is not null || QueryRetries is not null ||
        CacheTtl is not null || MirrorHostgroup is not null || MaxLagMs is not null || CreateNewConnection || MinGtid is not null;

    /// <summary>
    /// Reads the annotations of <paramref name="query"/>'s leading <c>/* … */</c> comment. False (and nothing read)
    /// when the statement does not start with a comment, the comment is not closed, or no known key is in it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> query, out QueryAnnotations annotations) =>
        TryParse(query, nowUnixMs: -1, out annotations);

    /// <param name="nowUnixMs">The current time, for <c>min_epoch_ms</c>; negative: read the clock when needed.</param>
    public static bool TryParse(ReadOnlySpan<char> query, long nowUnixMs, out QueryAnnotations annotations)
    {
        annotations = default;
        var start = 0;
        while (start < query.Length && char.IsWhiteSpace(query[start]))
            start++;
        if (query.Length - start < 4 || query[start] != '/' || query[start + 1] != '*')
            return false;
        var body = query[(start + 2)..];
        var end = body.IndexOf("*/", StringComparison.Ordinal);
        if (end < 0)
            return false;
        body = body[..Math.Min(end, MaxCommentLength)];

        var result = new QueryAnnotations();
        foreach (var range in body.Split(';'))
        {
            var pair = body[range];
            var equals = pair.IndexOf('=');
            if (equals < 0)
                continue;
            var key = pair[..equals].Trim();
            var value = pair[(equals + 1)..].Trim();
            if (key.Equals("min_gtid", StringComparison.OrdinalIgnoreCase))
            {
                if (Gtid.SessionWrites.IsGtidList(value))
                    result = result with { MinGtid = value.ToString() };
                continue;
            }
            if (key.IsEmpty || !TryLeadingInteger(value, out var number))
                continue;
            result = Apply(result, key, number, nowUnixMs);
        }
        annotations = result;
        return result.Any;
    }

    private static QueryAnnotations Apply(QueryAnnotations a, ReadOnlySpan<char> key, long number, long nowUnixMs)
    {
        var value = (int)Math.Min(number, int.MaxValue);
        if (key.Equals("hostgroup", StringComparison.OrdinalIgnoreCase))
            return a with { Hostgroup = value };
        if (key.Equals("query_timeout", StringComparison.OrdinalIgnoreCase))
            return a with { QueryTimeout = value };
        if (key.Equals("query_delay", StringComparison.OrdinalIgnoreCase))
            return a with { QueryDelay = value };
        if (key.Equals("query_retries", StringComparison.OrdinalIgnoreCase))
            return a with { QueryRetries = value };
        if (key.Equals("cache_ttl", StringComparison.OrdinalIgnoreCase))
            return a with { CacheTtl = value };
        if (key.Equals("mirror", StringComparison.OrdinalIgnoreCase))
            return a with { MirrorHostgroup = value };
        if (key.Equals("max_lag_ms", StringComparison.OrdinalIgnoreCase))
            return number <= MaxLagLimitMs ? a with { MaxLagMs = value } : a;
        if (key.Equals("min_epoch_ms", StringComparison.OrdinalIgnoreCase))
        {
            var lag = (nowUnixMs < 0 ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : nowUnixMs) - number;
            return lag is >= 0 and <= MaxLagLimitMs ? a with { MaxLagMs = (int)lag } : a;
        }
        if (key.Equals("create_new_connection", StringComparison.OrdinalIgnoreCase))
            return number == 1 ? a with { CreateNewConnection = true } : a;
        return a;
    }

    /// <summary>The digits a value starts with, as C's <c>atoi</c> reads them; false if it does not start with one or overflows.</summary>
    private static bool TryLeadingInteger(ReadOnlySpan<char> value, out long number)
    {
        number = 0;
        if (value.IsEmpty || !char.IsAsciiDigit(value[0]))
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
                break;
            if (number > (long.MaxValue - 9) / 10)
                return false;
            number = number * 10 + (c - '0');
        }
        return true;
    }
}
