namespace ProxyLayer.Routing;

/// <summary>One row of <c>stats_mysql_query_rules</c>.</summary>
public readonly record struct QueryRuleHits(int RuleId, long Hits);
