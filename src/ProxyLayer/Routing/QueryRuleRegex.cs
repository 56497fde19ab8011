using System.Text.RegularExpressions;

namespace ProxyLayer.Routing;

/// <summary>
/// Builds a rule's regex with the engine that keeps one rule from stalling every session. A pattern whose
/// backtracking is provably bounded (<see cref="BacktrackingBound"/>) gets the compiled backtracking engine, 2-4×
/// faster on the usual rules (benchmarks/README.md, RegexEngineBenchmarks). Any other pattern gets the linear-time
/// NonBacktracking engine, and only what that engine cannot run (backreferences, lookarounds, atomic groups) stays
/// on backtracking, where the match timeout is the bound. Every regex carries the timeout.
/// </summary>
internal static class QueryRuleRegex
{
    public static Regex Create(string pattern, bool caseless, TimeSpan matchTimeout)
    {
        var options = RegexOptions.CultureInvariant | (caseless ? RegexOptions.IgnoreCase : RegexOptions.None);
        if (!BacktrackingBound.IsLinear(pattern))
        {
            try
            {
                return new Regex(pattern, options | RegexOptions.NonBacktracking, matchTimeout);
            }
            catch (NotSupportedException)
            {
                // A construct NonBacktracking lacks; compiled backtracking below, bounded by the timeout.
            }
        }
        return new Regex(pattern, options | RegexOptions.Compiled, matchTimeout);
    }
}
