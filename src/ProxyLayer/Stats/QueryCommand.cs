namespace ProxyLayer.Stats;

/// <summary>
/// The statement kinds of <c>stats_mysql_commands_counters</c>, in the order that table lists them. The row names are
/// ProxySQL's (<see cref="QueryCommandNames"/>); a statement is classified by its first keywords
/// (<see cref="QueryCommandClassifier"/>).
/// </summary>
internal enum QueryCommand
{
    AlterTable,
    AlterView,
    AnalyzeTable,
    Begin,
    Call,
    ChangeMaster,
    Commit,
    CreateDatabase,
    CreateIndex,
    CreateTable,
    CreateTemporary,
    CreateTrigger,
    CreateUser,
    CreateView,
    Deallocate,
    Delete,
    Describe,
    DropDatabase,
    DropIndex,
    DropTable,
    DropTrigger,
    DropUser,
    DropView,
    Grant,
    Execute,
    Explain,
    Flush,
    Insert,
    Kill,
    Load,
    LockTable,
    Optimize,
    Prepare,
    Purge,
    RenameTable,
    ResetMaster,
    ResetSlave,
    Replace,
    Revoke,
    Rollback,
    Savepoint,
    Select,
    SelectForUpdate,
    Set,
    ShowTableStatus,
    StartTransaction,
    TruncateTable,
    UnlockTables,
    Update,
    Use,
    Show,
    Unknown,
}

internal static class QueryCommandNames
{
    /// <summary>Number of <see cref="QueryCommand"/> values; they are dense from 0.</summary>
    public const int Count = (int)QueryCommand.Unknown + 1;

    private static readonly string[] Names =
    [
        "ALTER_TABLE", "ALTER_VIEW", "ANALYZE_TABLE", "BEGIN", "CALL", "CHANGE_MASTER", "COMMIT", "CREATE_DATABASE",
        "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMPORARY", "CREATE_TRIGGER", "CREATE_USER", "CREATE_VIEW", "DEALLOCATE",
        "DELETE", "DESCRIBE", "DROP_DATABASE", "DROP_INDEX", "DROP_TABLE", "DROP_TRIGGER", "DROP_USER", "DROP_VIEW",
        "GRANT", "EXECUTE", "EXPLAIN", "FLUSH", "INSERT", "KILL", "LOAD", "LOCK_TABLE", "OPTIMIZE", "PREPARE", "PURGE",
        "RENAME_TABLE", "RESET_MASTER", "RESET_SLAVE", "REPLACE", "REVOKE", "ROLLBACK", "SAVEPOINT", "SELECT",
        "SELECT_FOR_UPDATE", "SET", "SHOW_TABLE_STATUS", "START_TRANSACTION", "TRUNCATE_TABLE", "UNLOCK_TABLES",
        "UPDATE", "USE", "SHOW", "UNKNOWN",
    ];

    /// <summary>The <c>Command</c> column value, e.g. <c>SELECT_FOR_UPDATE</c>.</summary>
    public static string Name(QueryCommand command) => Names[(int)command];
}
