namespace ProxyLayer.Sessions.State;

/// <summary>
/// What a quick scan of a statement's text found: its first keyword and the constructs that tie state to a backend
/// connection. Quoted strings, identifiers and comments are skipped, so <c>'@'</c> in a literal does not count.
/// </summary>
internal readonly record struct StatementInfo
{
    public StatementKind Kind { get; init; }
    public bool UsesUserVariables { get; init; }
    public bool CreatesTemporaryTable { get; init; }
    public bool LocksTables { get; init; }
    public bool UnlocksTables { get; init; }
    public bool GetsNamedLock { get; init; }
    public bool CalcFoundRows { get; init; }
    public bool ReadsLastInsertId { get; init; }
    /// <summary>More than one statement (a <c>;</c> outside quotes followed by more text).</summary>
    public bool IsMultiStatement { get; init; }
}
