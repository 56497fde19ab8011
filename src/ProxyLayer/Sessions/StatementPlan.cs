using ProxyLayer.Routing;

namespace ProxyLayer.Sessions;

/// <summary>
/// What a COM_QUERY is to do: the query rules' merged actions with the statement's annotations over them (ProxySQL
/// parses the first comment after the rules, so an annotation wins). Null fields mean "not set": the caller applies
/// the global default. A struct: planning a statement allocates nothing.
/// </summary>
internal readonly record struct StatementPlan
{
    /// <summary>True when the rules ran (a rule set is loaded); then <see cref="NextQueryFlagIn"/> replaces the session's pending one.</summary>
    public bool RulesEvaluated { get; init; }
    public int? Hostgroup { get; init; }
    public string? ErrorMsg { get; init; }
    public string? OkMsg { get; init; }
    /// <summary>The statement as rewritten by replace_pattern; null if no rule rewrote it.</summary>
    public string? RewrittenQuery { get; init; }
    public QueryDigestResult? Digest { get; init; }
    public int? NextQueryFlagIn { get; init; }
    public int? Retries { get; init; }
    public int? Timeout { get; init; }
    public int? Delay { get; init; }
    public int? CacheTtl { get; init; }
    public int? CacheEmptyResult { get; init; }
    public int? MirrorHostgroup { get; init; }
    public int? MirrorFlagOut { get; init; }
    /// <summary>The rules' <c>log</c>: 1 logs the statement to the events log, 0 keeps it out; null follows <c>mysql-eventslog_default_log</c>.</summary>
    public int? Log { get; init; }
    public bool DisablesMultiplexing { get; init; }
    public bool CreateNewConnection { get; init; }
    /// <summary>The rules' gtid_from_hostgroup: the hostgroup whose writes (by this session) the statement must see.</summary>
    public int? GtidFromHostgroup { get; init; }
    /// <summary>The <c>min_gtid</c> annotation: GTIDs (of any session) the statement must see.</summary>
    public string? MinGtid { get; init; }

    /// <summary>ProxySQL mirrors when either mirror action is set (a flagOUT alone mirrors to the default hostgroup).</summary>
    public bool Mirrors => MirrorHostgroup is not null || MirrorFlagOut is not null;

    /// <summary>The events-log decision: the rule's <c>log</c> if set, else <paramref name="defaultLog"/>.</summary>
    public bool Logs(bool defaultLog) => Log is { } log ? log == 1 : defaultLog;

    /// <summary>
    /// The plan for a statement: <paramref name="outcome"/> (null when no rules are loaded) with
    /// <paramref name="annotations"/> over it. <paramref name="mayMove"/> false (the statement must stay on the
    /// session's connection: transaction, connection-bound state) drops what would move it: a hostgroup and a new
    /// connection.
    /// </summary>
    public static StatementPlan From(in QueryRuleOutcome? outcome, in QueryAnnotations annotations, bool mayMove = true)
    {
        var plan = outcome is { } o
            ? new StatementPlan
            {
                RulesEvaluated = true,
                Hostgroup = o.DestinationHostgroup,
                ErrorMsg = o.ErrorMsg,
                OkMsg = o.OkMsg,
                RewrittenQuery = o.RewrittenQuery,
                Digest = o.Digest,
                NextQueryFlagIn = o.NextQueryFlagIn,
                Retries = o.Retries,
                Timeout = o.Timeout,
                Delay = o.Delay,
                CacheTtl = o.CacheTtl,
                CacheEmptyResult = o.CacheEmptyResult,
                MirrorHostgroup = o.MirrorHostgroup,
                MirrorFlagOut = o.MirrorFlagOut,
                Log = o.Log,
                DisablesMultiplexing = o.Multiplex == 0,
                GtidFromHostgroup = o.GtidFromHostgroup,
            }
            : new StatementPlan();
        plan = plan with
        {
            Hostgroup = annotations.Hostgroup ?? plan.Hostgroup,
            Timeout = annotations.QueryTimeout ?? plan.Timeout,
            Delay = annotations.QueryDelay ?? plan.Delay,
            Retries = annotations.QueryRetries ?? plan.Retries,
            CacheTtl = annotations.CacheTtl ?? plan.CacheTtl,
            MirrorHostgroup = annotations.MirrorHostgroup ?? plan.MirrorHostgroup,
            CreateNewConnection = annotations.CreateNewConnection,
            MinGtid = annotations.MinGtid,
        };
        return mayMove ? plan : plan with { Hostgroup = null, CreateNewConnection = false, GtidFromHostgroup = null, MinGtid = null };
    }
}
