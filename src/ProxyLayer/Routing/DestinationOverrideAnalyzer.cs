using System.Text.RegularExpressions;

namespace ProxyLayer.Routing;

/// <summary>
/// Finds rules whose destination_hostgroup can never take effect: a rule without apply=1 whose every query also
/// matches a later rule in the same flagIN chain that sets another hostgroup. ProxySQL lets the later match win, and
/// so do we; the warning only tells the admin. It is conservative: a later rule counts only when its filters are
/// provably implied by the earlier rule's (no filter, the same filter, or a wider <c>^LITERAL</c> prefix).
/// </summary>
internal static class DestinationOverrideAnalyzer
{
    public static IEnumerable<QueryRuleDiagnostic> Analyze(IReadOnlyList<CompiledQueryRule> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var first = rules[i];
            var config = first.Config;
            // With a rewrite, later rules see other text; with a random flagOUT, the chain is not known.
            if (config.Apply || config.DestinationHostgroup is null || first.Replacement is not null || HasRandomFlagOut(first))
            {
                continue;
            }

            var flag = config.FlagOut ?? config.FlagIn;
            for (var j = i + 1; j < rules.Count; j++)
            {
                var later = rules[j];
                var laterConfig = later.Config;
                if (laterConfig.FlagIn != flag || !Implies(first, later))
                {
                    continue;
                }

                if (laterConfig.DestinationHostgroup is { } hostgroup && hostgroup != config.DestinationHostgroup)
                {
                    yield return new QueryRuleDiagnostic(config.RuleId,
                        $"destination_hostgroup={config.DestinationHostgroup} never takes effect: the rule has apply=0 and " +
                        $"every query it matches also matches the later rule_id {laterConfig.RuleId} (flagIN {flag}), " +
                        $"which sets destination_hostgroup={hostgroup}; later matches overwrite earlier ones, so these " +
                        $"queries go to hostgroup {hostgroup}. Set apply=1 on rule_id {config.RuleId} if they should go " +
                        $"to hostgroup {config.DestinationHostgroup}.");
                    break;
                }

                // The later rule always runs for these queries: evaluation stops, the text changes, or the chain moves on.
                if (laterConfig.Apply || later.Replacement is not null || HasRandomFlagOut(later))
                {
                    break;
                }

                flag = laterConfig.FlagOut ?? flag;
            }
        }
    }

    private static bool HasRandomFlagOut(CompiledQueryRule rule) => rule.FlagOuts is not null && rule.Config.FlagOut is null;

    /// <summary>True only if every query that <paramref name="first"/> matches is sure to match <paramref name="later"/>.</summary>
    private static bool Implies(CompiledQueryRule first, CompiledQueryRule later)
    {
        var a = first.Config;
        var b = later.Config;
        return SameOrUnfiltered(a.Username, b.Username) &&
               SameOrUnfiltered(a.Schemaname, b.Schemaname) &&
               SameOrUnfiltered(a.ProxyAddr, b.ProxyAddr) &&
               (b.ProxyPort is null || b.ProxyPort == a.ProxyPort) &&
               (later.Digest is null || later.Digest == first.Digest) &&
               first.ClientAddress.IsCoveredBy(later.ClientAddress) &&
               RegexImplies(first, first.MatchDigest, later, later.MatchDigest) &&
               RegexImplies(first, first.MatchPattern, later, later.MatchPattern);
    }

    private static bool SameOrUnfiltered(string? first, string? later) => later is null || later == first;

    private static bool RegexImplies(CompiledQueryRule first, Regex? firstRegex, CompiledQueryRule later, Regex? laterRegex)
    {
        if (laterRegex is null)
        {
            return true;
        }

        if (firstRegex is null)
        {
            return false;
        }

        var negated = first.Config.NegateMatchPattern;
        if (negated != later.Config.NegateMatchPattern)
        {
            return false;
        }

        if (firstRegex.ToString() == laterRegex.ToString() && first.IsCaseless == later.IsCaseless)
        {
            return true;
        }

        // "^SELECT" (nothing else) accepts everything that "^SELECT…" accepts, if its case rule is no stricter.
        if (negated ||
            !AnchoredLiteralPrefix.TryParse(laterRegex.ToString(), out var laterPrefix) || !laterPrefix.IsWholePattern ||
            !AnchoredLiteralPrefix.TryParse(firstRegex.ToString(), out var firstPrefix))
        {
            return false;
        }

        return later.IsCaseless
            ? firstPrefix.Prefix.StartsWith(laterPrefix.Prefix, StringComparison.OrdinalIgnoreCase)
            : !first.IsCaseless && firstPrefix.Prefix.StartsWith(laterPrefix.Prefix, StringComparison.Ordinal);
    }
}
