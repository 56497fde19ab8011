using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ProxyLayer.Config;

namespace ProxyLayer.Routing;

/// <summary>
/// Validates and compiles <c>mysql_query_rules</c> rows. Every rule is checked, so one LOAD reports all problems;
/// if any is an error no rule set is produced.
/// </summary>
internal static class QueryRuleCompiler
{
    public static QueryRuleSetBuildResult Build(IEnumerable<QueryRuleConfig> rules, QueryRuleSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(options);

        var errors = ImmutableArray.CreateBuilder<QueryRuleDiagnostic>();
        var warnings = ImmutableArray.CreateBuilder<QueryRuleDiagnostic>();
        var active = rules.Where(r => r.Active).OrderBy(r => r.RuleId).ToList();
        var compiled = new List<CompiledQueryRule>(active.Count);

        for (var i = 0; i < active.Count; i++)
        {
            var rule = active[i];
            if (i > 0 && active[i - 1].RuleId == rule.RuleId)
            {
                errors.Add(new(rule.RuleId, "rule_id appears more than once among active rules"));
                continue;
            }

            var result = Compile(rule, options, errors, warnings);
            if (result is not null)
            {
                compiled.Add(result);
            }
        }

        if (errors.Count > 0)
        {
            return QueryRuleSetBuildResult.Failure(errors.ToImmutable(), warnings.ToImmutable());
        }

        warnings.AddRange(DestinationOverrideAnalyzer.Analyze(compiled));
        return QueryRuleSetBuildResult.Success(
            new QueryRuleSet([.. compiled], options.DigestOptions, options.Random, options.Logger), warnings.ToImmutable());
    }

    private static CompiledQueryRule? Compile(QueryRuleConfig rule, QueryRuleSetOptions options,
        ImmutableArray<QueryRuleDiagnostic>.Builder errors, ImmutableArray<QueryRuleDiagnostic>.Builder warnings)
    {
        var errorCount = errors.Count;
        var id = rule.RuleId;

        if (!RegexModifiersParser.TryParse(rule.ReModifiers, out var modifiers, out var unknownWord))
        {
            errors.Add(new(id, $"re_modifiers '{rule.ReModifiers}' has the unknown word '{unknownWord}' (allowed: CASELESS, GLOBAL)"));
        }

        var caseless = (modifiers & RegexModifiers.Caseless) != 0;
        var matchPattern = CompileRegex(id, "match_pattern", rule.MatchPattern, caseless, options, errors);
        var matchDigest = CompileRegex(id, "match_digest", rule.MatchDigest, caseless, options, errors);

        ulong? digest = null;
        if (rule.Digest is not null)
        {
            if (QueryDigest.TryParseHash(rule.Digest, out var parsed))
            {
                digest = parsed;
            }
            else
            {
                errors.Add(new(id, $"digest '{rule.Digest}' is not a 64-bit hex value such as 0x1E092DAEFFBBF262"));
            }
        }

        if (!ClientAddressFilter.TryCreate(rule.ClientAddr, out var clientAddress))
        {
            errors.Add(new(id, $"client_addr '{rule.ClientAddr}': '%' is only allowed as the last character"));
        }

        var replacement = TranslateReplacement(rule, matchPattern, options, errors, warnings);

        var attributeErrors = new List<string>();
        var attributeWarnings = new List<string>();
        var flagOuts = WeightedFlagOuts.Parse(rule.Attributes, attributeErrors, attributeWarnings);
        errors.AddRange(attributeErrors.Select(message => new QueryRuleDiagnostic(id, message)));
        warnings.AddRange(attributeWarnings.Select(message => new QueryRuleDiagnostic(id, message)));
        if (flagOuts is not null && rule.FlagOut is not null)
        {
            warnings.Add(new(id, $"attributes.flagOUTs is never used: the rule's flagOUT={rule.FlagOut} takes precedence"));
        }

        if (errors.Count > errorCount)
        {
            return null;
        }

        return new CompiledQueryRule
        {
            Config = rule,
            Modifiers = modifiers,
            ClientAddress = clientAddress,
            MatchPattern = matchPattern,
            MatchDigest = matchDigest,
            Digest = digest,
            Replacement = replacement,
            FlagOuts = flagOuts,
        };
    }

    private static Regex? CompileRegex(int id, string column, string? pattern, bool caseless,
        QueryRuleSetOptions options, ImmutableArray<QueryRuleDiagnostic>.Builder errors)
    {
        if (pattern is null)
        {
            return null;
        }

        if (pattern.Length > options.MaxPatternLength)
        {
            errors.Add(new(id, $"{column} is {pattern.Length} characters long; at most {options.MaxPatternLength} are allowed"));
            return null;
        }

        try
        {
            return QueryRuleRegex.Create(pattern, caseless, options.RegexMatchTimeout);
        }
        catch (ArgumentException ex)
        {
            errors.Add(new(id, $"{column} '{pattern}' is not a valid regular expression: {ex.Message}"));
            return null;
        }
    }

    private static string? TranslateReplacement(QueryRuleConfig rule, Regex? matchPattern, QueryRuleSetOptions options,
        ImmutableArray<QueryRuleDiagnostic>.Builder errors, ImmutableArray<QueryRuleDiagnostic>.Builder warnings)
    {
        if (rule.ReplacePattern is null)
        {
            return null;
        }

        if (rule.MatchPattern is null)
        {
            errors.Add(new(rule.RuleId, "replace_pattern needs a match_pattern to say what to replace"));
            return null;
        }

        if (rule.ReplacePattern.Length > options.MaxPatternLength)
        {
            errors.Add(new(rule.RuleId, $"replace_pattern is {rule.ReplacePattern.Length} characters long; at most {options.MaxPatternLength} are allowed"));
            return null;
        }

        var replacement = ReplacementTranslator.ToDotNet(rule.ReplacePattern, out var highestGroup);
        if (matchPattern is not null && highestGroup > matchPattern.GetGroupNumbers().Max())
        {
            errors.Add(new(rule.RuleId,
                $"replace_pattern refers to group \\{highestGroup}, but match_pattern '{rule.MatchPattern}' has fewer groups"));
        }

        if (rule.NegateMatchPattern)
        {
            warnings.Add(new(rule.RuleId,
                "replace_pattern never rewrites with negate_match_pattern=1: the rule matches only when the pattern does not"));
        }

        return replacement;
    }
}
