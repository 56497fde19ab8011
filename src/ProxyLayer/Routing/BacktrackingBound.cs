namespace ProxyLayer.Routing;

/// <summary>
/// Recognises the patterns whose backtracking cost is bounded by (query length × pattern length): no quantifier at
/// all, or a single quantifier on a single atom in a pattern anchored with <c>^</c> and without a top-level
/// alternation (<c>^SELECT.*FOR UPDATE$</c>), and no backreference. Catastrophic backtracking needs more than that:
/// nested or repeated groups, several quantifiers that can trade characters, or a backreference re-compared for
/// every length its group tries; anything unclear counts as unbounded.
/// </summary>
internal static class BacktrackingBound
{
    public static bool IsLinear(string pattern)
    {
        var quantifiers = 0;
        var depth = 0;
        var topLevelAlternation = false;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    // A backreference compares as much text as its group took, for every length the group tries.
                    if (i + 1 < pattern.Length && (pattern[i + 1] is >= '1' and <= '9' || pattern[i + 1] == 'k'))
                        return false;
                    i += 2;
                    continue;
                case '[':
                    if (!TrySkipClass(pattern, ref i))
                        return false;
                    continue;
                case '(':
                    // Inline x mode makes whitespace and # mean something else: not worth reading.
                    if (At(pattern, i + 1, '?') && i + 2 < pattern.Length && char.IsAsciiLetter(pattern[i + 2]) && OptionsIncludeX(pattern, i + 2))
                        return false;
                    depth++;
                    // "(?" opens a group kind; its '?' is not a quantifier.
                    i += At(pattern, i + 1, '?') ? 2 : 1;
                    continue;
                case ')':
                    depth--;
                    i++;
                    if (IsQuantifierAt(pattern, i))
                        return false;
                    continue;
                case '|':
                    topLevelAlternation |= depth == 0;
                    i++;
                    continue;
            }
            if (IsQuantifierAt(pattern, i))
            {
                quantifiers++;
                i = SkipQuantifier(pattern, i);
                continue;
            }
            i++;
        }
        return quantifiers == 0 || (quantifiers == 1 && pattern.StartsWith('^') && !topLevelAlternation);
    }

    private static bool IsQuantifierAt(string pattern, int i) =>
        i < pattern.Length && (pattern[i] is '*' or '+' or '?' || (pattern[i] == '{' && i + 1 < pattern.Length && char.IsAsciiDigit(pattern[i + 1])));

    private static int SkipQuantifier(string pattern, int i)
    {
        if (pattern[i] == '{')
        {
            var close = pattern.IndexOf('}', i);
            i = close < 0 ? pattern.Length : close + 1;
        }
        else
        {
            i++;
        }
        // A lazy marker belongs to the quantifier before it.
        return At(pattern, i, '?') ? i + 1 : i;
    }

    /// <summary>Moves past a character class; false when its end cannot be found simply (nested classes).</summary>
    private static bool TrySkipClass(string pattern, ref int i)
    {
        var j = i + 1;
        if (At(pattern, j, '^'))
            j++;
        if (At(pattern, j, ']'))
            j++;
        while (j < pattern.Length && pattern[j] != ']')
        {
            if (pattern[j] == '[')
                return false;
            j += pattern[j] == '\\' ? 2 : 1;
        }
        i = j + 1;
        return j < pattern.Length;
    }

    private static bool OptionsIncludeX(string pattern, int start)
    {
        for (var j = start; j < pattern.Length && (char.IsAsciiLetter(pattern[j]) || pattern[j] == '-'); j++)
        {
            if (pattern[j] is 'x' or 'X')
                return true;
        }
        return false;
    }

    private static bool At(string pattern, int i, char c) => i < pattern.Length && pattern[i] == c;
}
