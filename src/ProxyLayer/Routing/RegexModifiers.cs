namespace ProxyLayer.Routing;

/// <summary>The words of the <c>re_modifiers</c> column.</summary>
[Flags]
internal enum RegexModifiers
{
    None = 0,

    /// <summary><c>CASELESS</c>: patterns ignore case.</summary>
    Caseless = 1,

    /// <summary><c>GLOBAL</c>: replace_pattern replaces every match, not only the first.</summary>
    Global = 2,
}

internal static class RegexModifiersParser
{
    /// <summary>
    /// Parses a comma-separated, case-insensitive list. Null and empty mean none: re_modifiers '' gives
    /// case-sensitive matching, as in ProxySQL.
    /// </summary>
    public static bool TryParse(string? text, out RegexModifiers modifiers, out string? unknownWord)
    {
        modifiers = RegexModifiers.None;
        unknownWord = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var range in text.AsSpan().Split(','))
        {
            var word = text.AsSpan(range).Trim();
            if (word.IsEmpty)
            {
                continue;
            }

            if (word.Equals("CASELESS", StringComparison.OrdinalIgnoreCase))
            {
                modifiers |= RegexModifiers.Caseless;
            }
            else if (word.Equals("GLOBAL", StringComparison.OrdinalIgnoreCase))
            {
                modifiers |= RegexModifiers.Global;
            }
            else
            {
                unknownWord = word.ToString();
                return false;
            }
        }

        return true;
    }
}
