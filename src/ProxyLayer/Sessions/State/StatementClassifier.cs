namespace ProxyLayer.Sessions.State;

/// <summary>
/// One pass over a statement's text that finds its first keyword and the constructs that pin a session
/// (<see cref="StatementInfo"/>). No allocation; words are compared case-insensitively in place.
/// </summary>
internal static class StatementClassifier
{
    public static StatementInfo Classify(ReadOnlySpan<char> sql)
    {
        var kind = StatementKind.Other;
        var seenWord = false;
        bool userVariables = false, temporary = false, lockTables = false, unlock = false, getLock = false, calcFoundRows = false,
            lastInsertId = false, multi = false, afterSemicolon = false, flush = false;
        var previousWord = default(ReadOnlySpan<char>);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(sql, i);
                continue;
            }
            if (c == '#' || (c == '-' && i + 2 < sql.Length && sql[i + 1] == '-' && char.IsWhiteSpace(sql[i + 2])))
            {
                var end = sql[i..].IndexOf('\n');
                i = end < 0 ? sql.Length : i + end + 1;
                continue;
            }
            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*' && !(i + 2 < sql.Length && sql[i + 2] == '!'))
            {
                var end = sql[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                i = end < 0 ? sql.Length : i + 2 + end + 2;
                continue;
            }
            if (c == ';')
            {
                afterSemicolon = true;
                i++;
                continue;
            }
            if (c == '@')
            {
                if (i + 1 < sql.Length && sql[i + 1] == '@')
                {
                    i += 2;
                    var start = i;
                    while (i < sql.Length && IsWordChar(sql[i]))
                        i++;
                    if (i < sql.Length && sql[i] == '.') // @@session.name, @@global.name
                    {
                        start = ++i;
                        while (i < sql.Length && IsWordChar(sql[i]))
                            i++;
                    }
                    // @@identity and @@last_insert_id are LAST_INSERT_ID() under other names.
                    if (Is(sql[start..i], "identity") || Is(sql[start..i], "last_insert_id"))
                        lastInsertId = true;
                    continue;
                }
                userVariables = true;
                i++;
                continue;
            }
            if (IsWordStart(c))
            {
                var start = i;
                while (i < sql.Length && IsWordChar(sql[i]))
                    i++;
                var word = sql[start..i];
                if (afterSemicolon)
                    multi = true;
                if (!seenWord)
                {
                    seenWord = true;
                    kind = FirstKeyword(word);
                }
                if (Is(word, "TEMPORARY") && (Is(previousWord, "CREATE") || (Is(previousWord, "REPLACE") && kind == StatementKind.Create)))
                    temporary = true;
                else if ((Is(word, "TABLES") || Is(word, "TABLE")) && Is(previousWord, "LOCK") && kind == StatementKind.Lock)
                    lockTables = true;
                else if ((Is(word, "TABLES") || Is(word, "TABLE")) && Is(previousWord, "UNLOCK"))
                    unlock = true;
                else if (Is(word, "LOCK") && Is(previousWord, "READ") && flush)
                    lockTables = true;
                else if (Is(word, "GET_LOCK"))
                    getLock = true;
                else if (Is(word, "SQL_CALC_FOUND_ROWS"))
                    calcFoundRows = true;
                else if (Is(word, "LAST_INSERT_ID"))
                    lastInsertId = true;
                if (kind == StatementKind.Flush)
                    flush = true;
                previousWord = word;
                continue;
            }
            i++;
        }
        return new StatementInfo
        {
            Kind = kind,
            UsesUserVariables = userVariables,
            CreatesTemporaryTable = temporary,
            LocksTables = lockTables,
            UnlocksTables = unlock,
            GetsNamedLock = getLock,
            CalcFoundRows = calcFoundRows,
            ReadsLastInsertId = lastInsertId,
            IsMultiStatement = multi,
        };
    }

    private static StatementKind FirstKeyword(ReadOnlySpan<char> word) =>
        Is(word, "SELECT") ? StatementKind.Select
        : Is(word, "SET") ? StatementKind.Set
        : Is(word, "USE") ? StatementKind.Use
        : Is(word, "BEGIN") || Is(word, "START") ? StatementKind.Begin
        : Is(word, "COMMIT") ? StatementKind.Commit
        : Is(word, "ROLLBACK") ? StatementKind.Rollback
        : Is(word, "LOCK") ? StatementKind.Lock
        : Is(word, "UNLOCK") ? StatementKind.Unlock
        : Is(word, "FLUSH") ? StatementKind.Flush
        : Is(word, "CREATE") ? StatementKind.Create
        : Is(word, "PREPARE") ? StatementKind.Prepare
        : Is(word, "SHOW") ? StatementKind.Show
        : Is(word, "KILL") ? StatementKind.Kill
        : StatementKind.Other;

    private static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    /// <summary>Index after the quoted token starting at <paramref name="start"/> (backslash escapes and doubled quotes honoured).</summary>
    internal static int SkipQuoted(ReadOnlySpan<char> sql, int start)
    {
        var quote = sql[start];
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '\\' && quote != '`')
            {
                i += 2;
                continue;
            }
            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }
}
