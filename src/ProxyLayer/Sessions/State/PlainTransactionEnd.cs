namespace ProxyLayer.Sessions.State;

/// <summary>
/// Recognises a bare <c>COMMIT</c> or <c>ROLLBACK</c> (optionally <c>WORK</c>, comments, a trailing <c>;</c>): with no
/// transaction open it does nothing, so the proxy may answer it itself. Anything more (<c>AND CHAIN</c>, <c>RELEASE</c>,
/// <c>TO SAVEPOINT</c>, or text that is not valid SQL) must go to a server, whose answer (an error, a new transaction,
/// a closed connection) the proxy cannot predict.
/// </summary>
internal static class PlainTransactionEnd
{
    public static bool Is(ReadOnlySpan<char> sql)
    {
        var words = 0;
        var i = 0;
        var sawSemicolon = false;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*' && !(i + 2 < sql.Length && sql[i + 2] == '!'))
            {
                var end = sql[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                if (end < 0)
                    return false;
                i += 2 + end + 2;
                continue;
            }
            if (c == '#' || (c == '-' && i + 2 < sql.Length && sql[i + 1] == '-' && char.IsWhiteSpace(sql[i + 2])))
            {
                var end = sql[i..].IndexOf('\n');
                i = end < 0 ? sql.Length : i + end + 1;
                continue;
            }
            if (sawSemicolon)
                return false;
            if (c == ';')
            {
                sawSemicolon = true;
                i++;
                continue;
            }
            if (!char.IsAsciiLetter(c))
                return false;
            var start = i;
            while (i < sql.Length && char.IsAsciiLetterOrDigit(sql[i]))
                i++;
            var word = sql[start..i];
            var expected = words == 0
                ? word.Equals("COMMIT", StringComparison.OrdinalIgnoreCase) || word.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase)
                : words == 1 && word.Equals("WORK", StringComparison.OrdinalIgnoreCase);
            if (!expected)
                return false;
            words++;
        }
        return words > 0;
    }
}
