using System.Text.RegularExpressions;

namespace ProxyLayer.Routing;

/// <summary>
/// Builds a rule's regex with the engine that keeps one rule from stalling every session. A pattern whose
/// backtracking is provably bounded (<see cref="BacktrackingBound"/>) gets the compiled backtracking engine, 2-4×
/// faster on the usual rules (benchmarks/README.md, RegexEngineBenchmarks). Any other pattern gets the linear-time
/// NonBacktracking engine. Only what that engine cannot run (backreferences, lookarounds, atomic groups) stays on
/// unbounded backtracking, and only there is the match timeout the bound. The bounded regexes carry no timeout: it
/// is measured in wall-clock time, so on a loaded machine a thread descheduled mid-match would otherwise turn an
/// ordinary rule into a spurious "no match".
/// </summary>
internal static class QueryRuleRegex
{
    public static Regex Create(string pattern, bool caseless, TimeSpan matchTimeout)
    {
        var options = RegexOptions.CultureInvariant | (caseless ? RegexOptions.IgnoreCase : RegexOptions.None);
        if (BacktrackingBound.IsLinear(pattern))
            return new Regex(pattern, options | RegexOptions.Compiled, Regex.InfiniteMatchTimeout);
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException)
        {
            // A construct NonBacktracking lacks: backtracking, bounded by the timeout.
            return new Regex(pattern, options | RegexOptions.Compiled, matchTimeout);
        }
    }
}
