namespace ProxyLayer.Routing;

/// <summary>An error or warning about one <c>mysql_query_rules</c> row, as shown to the admin.</summary>
public sealed record QueryRuleDiagnostic(int RuleId, string Message)
{
    public override string ToString() => $"mysql_query_rules rule_id {RuleId}: {Message}";
}
