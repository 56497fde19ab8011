namespace ProxyLayer.Sessions;

/// <summary>Recognises <c>SELECT CONNECTION_ID()</c>, optionally <c>[AS] alias</c> and a trailing <c>;</c>.</summary>
internal static class ConnectionIdQuery
{
    /// <param name="column">The column name the server would give: the alias, else the expression as written.</param>
    public static bool TryParse(ReadOnlySpan<char> sql, out string column)
    {
        column = "";
        var rest = sql.Trim();
        if (rest.Length > 0 && rest[^1] == ';')
            rest = rest[..^1].TrimEnd();
        if (!rest.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || rest.Length == 6 || !char.IsWhiteSpace(rest[6]))
            return false;
        rest = rest[6..].TrimStart();
        const string Function = "CONNECTION_ID";
        if (!rest.StartsWith(Function, StringComparison.OrdinalIgnoreCase))
            return false;
        var afterName = rest[Function.Length..].TrimStart();
        if (afterName.Length < 2 || afterName[0] != '(')
            return false;
        var inner = afterName[1..].TrimStart();
        if (inner.IsEmpty || inner[0] != ')')
            return false;
        var expressionLength = rest.Length - inner.Length + 1;
        var expression = rest[..expressionLength];
        var alias = rest[expressionLength..].Trim();
        if (alias.IsEmpty)
        {
            column = expression.ToString();
            return true;
        }
        if (alias.StartsWith("AS", StringComparison.OrdinalIgnoreCase) && alias.Length > 2 && char.IsWhiteSpace(alias[2]))
            alias = alias[2..].TrimStart();
        if (alias.Length >= 2 && alias[0] is '`' or '\'' or '"' && alias[^1] == alias[0])
            alias = alias[1..^1];
        foreach (var c in alias)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '$')
                return false;
        }
        if (alias.IsEmpty)
            return false;
        column = alias.ToString();
        return true;
    }
}
