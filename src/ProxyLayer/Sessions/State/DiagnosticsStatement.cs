namespace ProxyLayer.Sessions.State;

/// <summary>
/// Statements that read the server's diagnostics area: <c>SHOW WARNINGS</c>, <c>SHOW ERRORS</c>,
/// <c>SHOW COUNT(*) WARNINGS</c>, <c>GET DIAGNOSTICS</c>, and SELECTs of <c>@@warning_count</c> / <c>@@error_count</c>.
/// A SELECT costs one vectorised search for '@' (every form it reads is a system variable); only its hits are looked
/// at further.
/// </summary>
internal static class DiagnosticsStatement
{
    public static bool Reads(StatementKind kind, ReadOnlySpan<char> sql) => kind switch
    {
        StatementKind.Show => sql.Contains("WARNINGS", StringComparison.OrdinalIgnoreCase) || sql.Contains("ERRORS", StringComparison.OrdinalIgnoreCase),
        StatementKind.Select => sql.Contains('@') && sql.Contains("_count", StringComparison.OrdinalIgnoreCase) &&
            (sql.Contains("@@warning_count", StringComparison.OrdinalIgnoreCase) || sql.Contains("@@error_count", StringComparison.OrdinalIgnoreCase) ||
             sql.Contains("@@session.warning_count", StringComparison.OrdinalIgnoreCase) || sql.Contains("@@session.error_count", StringComparison.OrdinalIgnoreCase)),
        StatementKind.Other => sql.Contains("DIAGNOSTICS", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
