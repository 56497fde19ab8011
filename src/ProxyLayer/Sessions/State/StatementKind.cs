namespace ProxyLayer.Sessions.State;

/// <summary>The first keyword of a statement, as far as the session cares.</summary>
internal enum StatementKind
{
    Other,
    Select,
    Set,
    Use,
    Begin,
    Commit,
    Rollback,
    Lock,
    Unlock,
    Flush,
    Create,
    Prepare,
    Show,
    Kill,
}
