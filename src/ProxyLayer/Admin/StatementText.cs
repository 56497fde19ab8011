using System.Text;

namespace ProxyLayer.Admin;

/// <summary>Splits a query string into statements and normalises one for command matching.</summary>
internal static class StatementText
{
    /// <summary>
    /// Collapses runs of whitespace to one space, trims, and strips trailing <c>;</c> — the form ProxySQL matches its
    /// commands against. Quoted text is collapsed too; only matching uses this form, SQLite gets the original.
    /// </summary>
    public static string Normalize(string statement)
    {
        var builder = new StringBuilder(statement.Length);
        var pendingSpace = false;
        foreach (var c in statement)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
                builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        while (builder.Length > 0 && (builder[^1] == ';' || builder[^1] == ' '))
            builder.Length--;
        return builder.ToString();
    }

    /// <summary>
    /// Splits on <c>;</c> outside quotes and comments. Scripts may send several statements in one query string; the
    /// mysql client sends one at a time. Empty pieces are dropped.
    /// </summary>
    public static List<string> Split(string sql)
    {
        var statements = new List<string>();
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
                i = SkipQuoted(sql, i, c);
            else if (c == '-' && At(sql, i, "--") || c == '#')
                i = SkipLine(sql, i);
            else if (c == '/' && At(sql, i, "/*"))
                i = SkipBlockComment(sql, i);
            else if (c == ';')
            {
                Add(statements, sql[start..i]);
                start = ++i;
            }
            else
                i++;
        }
        Add(statements, sql[start..]);
        return statements;
    }

    private static void Add(List<string> statements, string statement)
    {
        if (!string.IsNullOrWhiteSpace(statement))
            statements.Add(statement.Trim());
    }

    private static bool At(string sql, int index, string token) => string.CompareOrdinal(sql, index, token, 0, token.Length) == 0;

    private static int SkipQuoted(string sql, int index, char quote)
    {
        var i = index + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '\\' && quote != '`')
                i += 2;
            else if (sql[i] == quote && i + 1 < sql.Length && sql[i + 1] == quote)
                i += 2; // doubled quote inside the literal
            else if (sql[i] == quote)
                return i + 1;
            else
                i++;
        }
        return sql.Length;
    }

    private static int SkipLine(string sql, int index)
    {
        var end = sql.IndexOf('\n', index);
        return end < 0 ? sql.Length : end + 1;
    }

    private static int SkipBlockComment(string sql, int index)
    {
        var end = sql.IndexOf("*/", index + 2, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + 2;
    }
}
