namespace ProxyLayer.Admin;

/// <summary>
/// What one admin statement produced. A closed hierarchy: the listener turns <see cref="Rows"/> into a text result
/// set, <see cref="Ok"/> and <see cref="Error"/> into OK/ERR packets, and acts on <see cref="Shutdown"/> and
/// <see cref="Restart"/> after answering OK.
/// </summary>
internal abstract record AdminResult
{
    private AdminResult()
    {
    }

    /// <summary>A result set. ProxySQL's admin sends every column as a string; null is SQL NULL.</summary>
    public sealed record Rows(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Values) : AdminResult;

    /// <summary>An OK packet. <paramref name="Info"/> is the message text, <paramref name="Warnings"/> what <c>SHOW WARNINGS</c> lists next.</summary>
    public sealed record Ok(long AffectedRows, string? Info, IReadOnlyList<AdminWarning> Warnings) : AdminResult
    {
        public Ok(long affectedRows = 0, string? info = null)
            : this(affectedRows, info, [])
        {
        }
    }

    public sealed record Error(int Code, string SqlState, string Message) : AdminResult
    {
        /// <summary>ProxySQL's admin reports its own and SQLite's errors as 1045/28000 with this prefix.</summary>
        public static Error Admin(string message) => new(1045, "28000", "ProxySQL Admin Error: " + message);
    }

    /// <summary><c>PROXYSQL SHUTDOWN</c> / <c>KILL</c> (immediate) or <c>PROXYSQL SHUTDOWN SLOW</c> (graceful): answer OK, then stop.</summary>
    public sealed record Shutdown(bool Graceful) : AdminResult;

    /// <summary><c>PROXYSQL RESTART</c>: answer OK, then restart in process from proxysql.db (unsaved MEMORY is lost).</summary>
    public sealed record Restart : AdminResult;
}

/// <summary>One row of <c>SHOW WARNINGS</c>.</summary>
internal sealed record AdminWarning(string Level, int Code, string Message)
{
    /// <summary>ER_UNKNOWN_ERROR: MySQL's code for a warning without a more specific one.</summary>
    public static AdminWarning Of(string message) => new("Warning", 1105, message);
}
