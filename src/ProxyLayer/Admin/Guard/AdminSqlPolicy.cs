using SQLitePCL;

namespace ProxyLayer.Admin.Guard;

/// <summary>
/// What a statement typed on the admin interface may ask of SQLite: read anything, change rows of the existing
/// tables, and read-only PRAGMAs. Everything that would change the schema, touch files (ATTACH, VACUUM INTO), load
/// code or leave a transaction open across statements is refused. Called by SQLite's authorizer for every action a
/// statement compiles to, so the decision rests on what SQLite parsed, not on the statement's spelling.
/// </summary>
internal static class AdminSqlPolicy
{
    // Functions that reach outside the database: load_extension loads native code; the two-argument
    // fts3_tokenizer takes a raw pointer.
    private static readonly HashSet<string> RefusedFunctions = new(StringComparer.OrdinalIgnoreCase) { "load_extension", "fts3_tokenizer" };

    /// <summary>Null: allowed. Otherwise the refused thing, named as an admin reads it (e.g. <c>ATTACH '/tmp/x.db'</c>).</summary>
    /// <param name="action">An SQLITE_* authorizer action code.</param>
    /// <param name="first">The action's first argument (table, pragma, file or function name).</param>
    /// <param name="second">The action's second argument (column, pragma value).</param>
    public static string? Refusal(int action, string? first, string? second) => action switch
    {
        raw.SQLITE_SELECT or raw.SQLITE_READ or raw.SQLITE_RECURSIVE
            or raw.SQLITE_INSERT or raw.SQLITE_UPDATE or raw.SQLITE_DELETE => null,
        // SQLite passes the function name second (the first is always NULL).
        raw.SQLITE_FUNCTION => second is not null && RefusedFunctions.Contains(second) ? $"the function {second}()" : null,
        raw.SQLITE_PRAGMA => ReadOnlyPragmas.Allows(first, second) ? null : $"PRAGMA {Describe(first, second)} (only reading PRAGMAs are allowed)",
        // VACUUM and VACUUM INTO attach their copy through the same action ('' for VACUUM's temporary copy).
        raw.SQLITE_ATTACH => $"opening the database file '{first}' (ATTACH, VACUUM and VACUUM INTO do)",
        raw.SQLITE_DETACH => $"DETACH {first}",
        raw.SQLITE_CREATE_TABLE or raw.SQLITE_CREATE_TEMP_TABLE => $"CREATE TABLE {first}",
        raw.SQLITE_CREATE_VIEW or raw.SQLITE_CREATE_TEMP_VIEW => $"CREATE VIEW {first}",
        raw.SQLITE_CREATE_INDEX or raw.SQLITE_CREATE_TEMP_INDEX => $"CREATE INDEX {first}",
        raw.SQLITE_CREATE_TRIGGER or raw.SQLITE_CREATE_TEMP_TRIGGER => $"CREATE TRIGGER {first}",
        raw.SQLITE_CREATE_VTABLE => $"CREATE VIRTUAL TABLE {first}",
        raw.SQLITE_DROP_TABLE or raw.SQLITE_DROP_TEMP_TABLE => $"DROP TABLE {first}",
        raw.SQLITE_DROP_VIEW or raw.SQLITE_DROP_TEMP_VIEW => $"DROP VIEW {first}",
        raw.SQLITE_DROP_INDEX or raw.SQLITE_DROP_TEMP_INDEX => $"DROP INDEX {first}",
        raw.SQLITE_DROP_TRIGGER or raw.SQLITE_DROP_TEMP_TRIGGER => $"DROP TRIGGER {first}",
        raw.SQLITE_DROP_VTABLE => $"DROP VIRTUAL TABLE {first}",
        raw.SQLITE_ALTER_TABLE => $"ALTER TABLE {second}",
        raw.SQLITE_ANALYZE => "ANALYZE",
        raw.SQLITE_REINDEX => "REINDEX",
        // The admin database is one connection shared by every admin session and by LOAD/SAVE: a transaction
        // left open by one statement would hold back what SAVE … TO DISK writes. BEGIN/COMMIT are answered OK
        // without reaching SQLite, as in ProxySQL.
        raw.SQLITE_TRANSACTION => $"{first} TRANSACTION",
        raw.SQLITE_SAVEPOINT => $"SAVEPOINT ({first})",
        _ => $"SQLite action {action}",
    };

    private static string Describe(string? name, string? value) => value is null ? $"{name}" : $"{name}={value}";
}
