namespace ProxyLayer.Stats;

/// <summary>
/// Names the <see cref="QueryCommand"/> of a statement from its first one or two keywords, skipping leading comments
/// and parentheses. Allocation-free: keywords are upper-cased into a small stack buffer and matched as spans.
/// Statements whose kind depends on words further in (<c>CREATE DEFINER=… VIEW</c>) are approximated.
/// </summary>
internal static class QueryCommandClassifier
{
    private const int MaxKeywordLength = 16;

    public static QueryCommand Classify(ReadOnlySpan<char> query)
    {
        var position = 0;
        Span<char> first = stackalloc char[MaxKeywordLength];
        var firstLength = NextWord(query, ref position, first);
        Span<char> second = stackalloc char[MaxKeywordLength];
        var secondLength = NextWord(query, ref position, second);
        var command = Classify(first[..firstLength], second[..secondLength]);
        return command == QueryCommand.Select && IsForUpdate(query) ? QueryCommand.SelectForUpdate : command;
    }

    private static QueryCommand Classify(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => first switch
    {
        "SELECT" or "WITH" => QueryCommand.Select,
        "INSERT" => QueryCommand.Insert,
        "UPDATE" => QueryCommand.Update,
        "DELETE" => QueryCommand.Delete,
        "REPLACE" => QueryCommand.Replace,
        "SET" => QueryCommand.Set,
        "USE" => QueryCommand.Use,
        "BEGIN" => QueryCommand.Begin,
        "START" => second is "TRANSACTION" ? QueryCommand.StartTransaction : QueryCommand.Unknown,
        "COMMIT" => QueryCommand.Commit,
        "ROLLBACK" => QueryCommand.Rollback,
        "SAVEPOINT" => QueryCommand.Savepoint,
        "SHOW" => second is "TABLE" ? QueryCommand.ShowTableStatus : QueryCommand.Show,
        "CALL" => QueryCommand.Call,
        "PREPARE" => QueryCommand.Prepare,
        "EXECUTE" => QueryCommand.Execute,
        "DEALLOCATE" => QueryCommand.Deallocate,
        "DESC" or "DESCRIBE" => QueryCommand.Describe,
        "EXPLAIN" => QueryCommand.Explain,
        "ALTER" => Alter(second),
        "CREATE" => Create(second),
        "DROP" => Drop(second),
        "ANALYZE" => QueryCommand.AnalyzeTable,
        "OPTIMIZE" => QueryCommand.Optimize,
        "TRUNCATE" => QueryCommand.TruncateTable,
        "RENAME" => second is "TABLE" ? QueryCommand.RenameTable : QueryCommand.Unknown,
        "LOCK" => QueryCommand.LockTable,
        "UNLOCK" => QueryCommand.UnlockTables,
        "GRANT" => QueryCommand.Grant,
        "REVOKE" => QueryCommand.Revoke,
        "FLUSH" => QueryCommand.Flush,
        "KILL" => QueryCommand.Kill,
        "LOAD" => QueryCommand.Load,
        "PURGE" => QueryCommand.Purge,
        "CHANGE" => second is "MASTER" or "REPLICATION" ? QueryCommand.ChangeMaster : QueryCommand.Unknown,
        "RESET" => second switch
        {
            "MASTER" => QueryCommand.ResetMaster,
            "SLAVE" or "REPLICA" => QueryCommand.ResetSlave,
            _ => QueryCommand.Unknown,
        },
        _ => QueryCommand.Unknown,
    };

    private static QueryCommand Alter(ReadOnlySpan<char> second) => second switch
    {
        "TABLE" or "ONLINE" or "IGNORE" => QueryCommand.AlterTable,
        "VIEW" or "ALGORITHM" or "DEFINER" or "SQL" => QueryCommand.AlterView,
        _ => QueryCommand.Unknown,
    };

    private static QueryCommand Create(ReadOnlySpan<char> second) => second switch
    {
        "DATABASE" or "SCHEMA" => QueryCommand.CreateDatabase,
        "INDEX" or "UNIQUE" or "FULLTEXT" or "SPATIAL" => QueryCommand.CreateIndex,
        "TABLE" => QueryCommand.CreateTable,
        "TEMPORARY" => QueryCommand.CreateTemporary,
        "TRIGGER" => QueryCommand.CreateTrigger,
        "USER" => QueryCommand.CreateUser,
        "VIEW" or "OR" or "ALGORITHM" => QueryCommand.CreateView,
        _ => QueryCommand.Unknown,
    };

    private static QueryCommand Drop(ReadOnlySpan<char> second) => second switch
    {
        "DATABASE" or "SCHEMA" => QueryCommand.DropDatabase,
        "INDEX" => QueryCommand.DropIndex,
        "TABLE" or "TEMPORARY" => QueryCommand.DropTable,
        "TRIGGER" => QueryCommand.DropTrigger,
        "USER" => QueryCommand.DropUser,
        "VIEW" => QueryCommand.DropView,
        "PREPARE" => QueryCommand.Deallocate,
        _ => QueryCommand.Unknown,
    };

    /// <remarks>A search for the letter U first: most SELECTs have none, and it is far cheaper than a case-insensitive search.</remarks>
    private static bool IsForUpdate(ReadOnlySpan<char> query) =>
        query.IndexOfAny('U', 'u') >= 0 && query.Contains("FOR UPDATE", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Copies the next keyword, upper-cased, into <paramref name="destination"/> and returns its length; 0 at the end
    /// or when the next token is not a word. Longer words are cut (no keyword we match is longer than the buffer).
    /// </summary>
    private static int NextWord(ReadOnlySpan<char> query, ref int position, Span<char> destination)
    {
        position = SkipSeparators(query, position);
        var length = 0;
        while (position < query.Length && (char.IsAsciiLetter(query[position]) || query[position] == '_'))
        {
            if (length < destination.Length)
                destination[length++] = char.ToUpperInvariant(query[position]);
            position++;
        }
        return length;
    }

    /// <summary>Whitespace, '(' and comments (<c>/* */</c>, <c>#</c>, <c>-- </c>) before a keyword.</summary>
    private static int SkipSeparators(ReadOnlySpan<char> query, int i)
    {
        while (i < query.Length)
        {
            var c = query[i];
            var next = i + 1 < query.Length ? query[i + 1] : '\0';
            if (char.IsWhiteSpace(c) || c == '(')
            {
                i++;
            }
            else if (c == '/' && next == '*')
            {
                var end = query[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                i = end < 0 ? query.Length : i + 2 + end + 2;
            }
            else if (c == '#' || (c == '-' && next == '-'))
            {
                var end = query[i..].IndexOfAny('\n', '\r');
                i = end < 0 ? query.Length : i + end;
            }
            else
            {
                return i;
            }
        }
        return i;
    }
}
