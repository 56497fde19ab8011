namespace ProxyLayer.Routing;

/// <summary>
/// The literal text a regex requires at the start of the subject: <c>^SELECT.*FOR UPDATE$</c> → <c>SELECT</c>.
/// Used only to prove that one pattern implies another, so anything unclear yields no prefix.
/// </summary>
internal readonly record struct AnchoredLiteralPrefix(string Prefix, bool IsWholePattern)
{
    private const string MetaCharacters = @".^$*+?()[]{}|\";

    public static bool TryParse(string? pattern, out AnchoredLiteralPrefix result)
    {
        result = default;
        // An alternation anywhere could let the pattern match without the prefix.
        if (pattern is null || pattern.Length < 2 || pattern[0] != '^' || pattern.Contains('|', StringComparison.Ordinal))
        {
            return false;
        }

        var prefix = new System.Text.StringBuilder();
        var i = 1;
        while (i < pattern.Length)
        {
            char literal;
            int width;
            if (pattern[i] == '\\')
            {
                // "\." is a literal dot; "\d", "\b", "\1" and the like are not literals.
                if (i + 1 >= pattern.Length || char.IsAsciiLetterOrDigit(pattern[i + 1]))
                {
                    break;
                }

                literal = pattern[i + 1];
                width = 2;
            }
            else if (MetaCharacters.Contains(pattern[i], StringComparison.Ordinal))
            {
                break;
            }
            else
            {
                literal = pattern[i];
                width = 1;
            }

            var after = i + width;
            if (after < pattern.Length && pattern[after] is '?' or '*' or '{')
            {
                // The character is optional or repeated zero times: it is not required.
                i = -1;
                break;
            }

            prefix.Append(literal);
            i = after;
            if (after < pattern.Length && pattern[after] == '+')
            {
                i = -1;
                break;
            }
        }

        if (prefix.Length == 0)
        {
            return false;
        }

        result = new AnchoredLiteralPrefix(prefix.ToString(), IsWholePattern: i == pattern.Length);
        return true;
    }
}
