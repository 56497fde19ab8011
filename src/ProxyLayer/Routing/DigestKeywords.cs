namespace ProxyLayer.Routing;

/// <summary>
/// Keywords after which '+' or '-' before a number is a sign, not subtraction: "SELECT -1" has one literal, while
/// "a -1" (after an identifier) is a binary operator and keeps both sides.
/// </summary>
internal static class DigestKeywords
{
    public static bool AllowsUnarySignAfter(ReadOnlySpan<char> word) => word.Length switch
    {
        2 => Is(word, "OR") || Is(word, "ON") || Is(word, "IN") || Is(word, "IS") || Is(word, "BY"),
        3 => Is(word, "AND") || Is(word, "XOR") || Is(word, "NOT") || Is(word, "SET") || Is(word, "DIV") ||
             Is(word, "MOD"),
        4 => Is(word, "WHEN") || Is(word, "THEN") || Is(word, "ELSE") || Is(word, "LIKE") || Is(word, "CASE"),
        5 => Is(word, "WHERE") || Is(word, "LIMIT") || Is(word, "VALUE") || Is(word, "RLIKE"),
        6 => Is(word, "SELECT") || Is(word, "OFFSET") || Is(word, "VALUES") || Is(word, "RETURN") ||
             Is(word, "HAVING") || Is(word, "REGEXP"),
        7 => Is(word, "BETWEEN"),
        8 => Is(word, "INTERVAL"),
        _ => false,
    };

    private static bool Is(ReadOnlySpan<char> word, string keyword) =>
        word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
