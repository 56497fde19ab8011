using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ProxyLayer.Config;

namespace ProxyLayer.Routing;

/// <summary>
/// The merged actions of every rule that matched one statement (later matches overwrite earlier ones; null means no
/// rule set it). A struct, so evaluating allocates nothing unless a rule rewrites the query or the digest had to be
/// computed.
/// </summary>
public struct QueryRuleOutcome
{
    /// <summary>How many matched rule ids <see cref="MatchedRuleIds"/> keeps; chains longer than this are rare.</summary>
    public const int MaxRecordedRuleIds = 8;

    private RuleIdBuffer _matchedRuleIds;

    /// <summary>Null when no rule chose one: the caller uses the user's default_hostgroup.</summary>
    public int? DestinationHostgroup { get; private set; }

    /// <summary>True when <c>mysql_query_rules_fast_routing</c> chose <see cref="DestinationHostgroup"/>.</summary>
    public bool FastRouted { get; private set; }

    /// <summary>The query after every replace_pattern that applied; null if none did.</summary>
    public string? RewrittenQuery { get; internal set; }

    public string? ErrorMsg { get; private set; }
    public string? OkMsg { get; private set; }
    public int? CacheTtl { get; private set; }
    public int? CacheEmptyResult { get; private set; }
    public int? CacheTimeout { get; private set; }
    public int? Reconnect { get; private set; }
    public int? Timeout { get; private set; }
    public int? Retries { get; private set; }
    public int? Delay { get; private set; }
    public int? NextQueryFlagIn { get; private set; }
    public int? MirrorHostgroup { get; private set; }
    public int? MirrorFlagOut { get; private set; }
    public int? Multiplex { get; private set; }
    public int? Log { get; private set; }
    public int? StickyConn { get; private set; }
    public int? GtidFromHostgroup { get; private set; }

    /// <summary>The digest, if the caller passed it or a rule needed it; reuse it for stats.</summary>
    public QueryDigestResult? Digest { get; internal set; }

    /// <summary>How many rules matched, including any beyond <see cref="MaxRecordedRuleIds"/>.</summary>
    public int MatchedRuleCount { get; private set; }

    public readonly bool Matched => MatchedRuleCount > 0;

    /// <summary>The first <see cref="MaxRecordedRuleIds"/> matched rule ids, in evaluation order.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<int> MatchedRuleIds =>
        ((ReadOnlySpan<int>)_matchedRuleIds)[..Math.Min(MatchedRuleCount, MaxRecordedRuleIds)];

    internal void Apply(QueryRuleConfig rule)
    {
        if (MatchedRuleCount < MaxRecordedRuleIds)
        {
            _matchedRuleIds[MatchedRuleCount] = rule.RuleId;
        }

        MatchedRuleCount++;
        DestinationHostgroup = rule.DestinationHostgroup ?? DestinationHostgroup;
        ErrorMsg = rule.ErrorMsg ?? ErrorMsg;
        OkMsg = rule.OkMsg ?? OkMsg;
        CacheTtl = rule.CacheTtl ?? CacheTtl;
        CacheEmptyResult = rule.CacheEmptyResult ?? CacheEmptyResult;
        CacheTimeout = rule.CacheTimeout ?? CacheTimeout;
        Reconnect = rule.Reconnect ?? Reconnect;
        Timeout = rule.Timeout ?? Timeout;
        Retries = rule.Retries ?? Retries;
        Delay = rule.Delay ?? Delay;
        NextQueryFlagIn = rule.NextQueryFlagIn ?? NextQueryFlagIn;
        MirrorHostgroup = rule.MirrorHostgroup ?? MirrorHostgroup;
        MirrorFlagOut = rule.MirrorFlagOut ?? MirrorFlagOut;
        Multiplex = rule.Multiplex ?? Multiplex;
        Log = rule.Log ?? Log;
        StickyConn = rule.StickyConn ?? StickyConn;
        GtidFromHostgroup = rule.GtidFromHostgroup ?? GtidFromHostgroup;
    }

    internal void RouteFast(int hostgroup)
    {
        DestinationHostgroup = hostgroup;
        FastRouted = true;
    }

    [InlineArray(MaxRecordedRuleIds)]
    private struct RuleIdBuffer
    {
        private int _element;
    }
}
