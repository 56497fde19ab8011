namespace ProxyLayer.Sessions;

/// <summary>Recognises <c>SELECT @@last_gtid</c> and <c>SELECT @@session.last_gtid</c>, with an optional trailing <c>;</c>.</summary>
internal static class LastGtidQuery
{
    /// <summary>Longer than this is some other statement (the longest form with generous whitespace is far shorter).</summary>
    private const int MaxLength = 64;

    /// <param name="column">The column name the server would give: the expression as written.</param>
    public static bool TryParse(ReadOnlySpan<char> sql, out string column)
    {
        column = "";
        var rest = sql.Trim();
        // Rejected on length first: this runs for every SELECT while read-your-writes is in use.
        if (rest.Length is < 17 or > MaxLength)
            return false;
        if (rest[^1] == ';')
            rest = rest[..^1].TrimEnd();
        if (!rest.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || !char.IsWhiteSpace(rest[6]))
            return false;
        var expression = rest[6..].TrimStart();
        if (!expression.Equals("@@last_gtid", StringComparison.OrdinalIgnoreCase) &&
            !expression.Equals("@@session.last_gtid", StringComparison.OrdinalIgnoreCase))
            return false;
        column = expression.ToString();
        return true;
    }
}
