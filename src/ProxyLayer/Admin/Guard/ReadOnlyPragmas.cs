namespace ProxyLayer.Admin.Guard;

/// <summary>The PRAGMAs an admin statement may run: those that only report (schema, settings, checks).</summary>
internal static class ReadOnlyPragmas
{
    // These report whatever their argument is (a table, an index, a row count for the checks).
    private static readonly HashSet<string> Reports = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "database_list", "collation_list", "function_list", "module_list", "pragma_list",
        "compile_options", "integrity_check", "quick_check", "data_version", "page_count", "freelist_count", "stats",
    };

    // Settings: reading one (no argument) is harmless; setting one is not (writable_schema, journal_mode=OFF …).
    private static readonly HashSet<string> Settings = new(StringComparer.OrdinalIgnoreCase)
    {
        "application_id", "auto_vacuum", "automatic_index", "busy_timeout", "cache_size", "cache_spill",
        "case_sensitive_like", "cell_size_check", "checkpoint_fullfsync", "defer_foreign_keys", "encoding",
        "foreign_keys", "fullfsync", "hard_heap_limit", "ignore_check_constraints", "journal_mode",
        "journal_size_limit", "legacy_alter_table", "locking_mode", "max_page_count", "mmap_size", "page_size",
        "query_only", "read_uncommitted", "recursive_triggers", "reverse_unordered_selects", "schema_version",
        "secure_delete", "soft_heap_limit", "synchronous", "temp_store", "threads", "trusted_schema", "user_version",
        "wal_autocheckpoint", "writable_schema",
    };

    /// <param name="name">The pragma's name, as SQLite's authorizer passes it.</param>
    /// <param name="argument">Its argument or assigned value; null when none was given.</param>
    public static bool Allows(string? name, string? argument) =>
        name is not null && (Reports.Contains(name) || (argument is null && Settings.Contains(name)));
}
