using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace ProxyLayer.Routing;

/// <summary>
/// Either a compiled <see cref="QueryRuleSet"/> (possibly with warnings) or the errors that prevented it. There is no
/// partial result: one bad rule means no rule set, so the caller keeps the running one.
/// </summary>
public sealed class QueryRuleSetBuildResult
{
    private QueryRuleSetBuildResult(QueryRuleSet? ruleSet, ImmutableArray<QueryRuleDiagnostic> errors,
        ImmutableArray<QueryRuleDiagnostic> warnings)
    {
        RuleSet = ruleSet;
        Errors = errors;
        Warnings = warnings;
    }

    public QueryRuleSet? RuleSet { get; }
    public ImmutableArray<QueryRuleDiagnostic> Errors { get; }
    public ImmutableArray<QueryRuleDiagnostic> Warnings { get; }

    [MemberNotNullWhen(true, nameof(RuleSet))]
    public bool Succeeded => RuleSet is not null;

    internal static QueryRuleSetBuildResult Success(QueryRuleSet ruleSet, ImmutableArray<QueryRuleDiagnostic> warnings) =>
        new(ruleSet, [], warnings);

    internal static QueryRuleSetBuildResult Failure(ImmutableArray<QueryRuleDiagnostic> errors,
        ImmutableArray<QueryRuleDiagnostic> warnings) => new(null, errors, warnings);
}
