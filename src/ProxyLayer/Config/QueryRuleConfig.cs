namespace ProxyLayer.Config;

/// <summary>
/// One row of <c>mysql_query_rules</c>. Null means "no filter" for match columns and "no change" for actions,
/// as in ProxySQL.
/// </summary>
public sealed record QueryRuleConfig
{
    public required int RuleId { get; init; }
    public bool Active { get; init; }
    public string? Username { get; init; }
    public string? Schemaname { get; init; }
    public int FlagIn { get; init; }
    public string? ClientAddr { get; init; }
    public string? ProxyAddr { get; init; }
    public int? ProxyPort { get; init; }
    public string? Digest { get; init; }
    public string? MatchDigest { get; init; }
    public string? MatchPattern { get; init; }
    public bool NegateMatchPattern { get; init; }
    public string? ReModifiers { get; init; } = "CASELESS";
    public int? FlagOut { get; init; }
    public string? ReplacePattern { get; init; }
    public int? DestinationHostgroup { get; init; }
    public int? CacheTtl { get; init; }
    public int? CacheEmptyResult { get; init; }
    public int? CacheTimeout { get; init; }
    public int? Reconnect { get; init; }
    public int? Timeout { get; init; }
    public int? Retries { get; init; }
    public int? Delay { get; init; }
    public int? NextQueryFlagIn { get; init; }
    public int? MirrorFlagOut { get; init; }
    public int? MirrorHostgroup { get; init; }
    public string? ErrorMsg { get; init; }
    public string? OkMsg { get; init; }
    public int? StickyConn { get; init; }
    public int? Multiplex { get; init; }
    public int? GtidFromHostgroup { get; init; }
    public int? Log { get; init; }
    public bool Apply { get; init; }
    public string Attributes { get; init; } = "";
    public string? Comment { get; init; }
}
