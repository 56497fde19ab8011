using System.Collections.Immutable;

namespace ProxyLayer.Sessions.State;

/// <summary>What a <c>SET</c> statement does to session state, as far as the proxy can tell.</summary>
internal enum SetStatementKind
{
    /// <summary>Session variables with literal values: tracked and re-applied on any backend connection.</summary>
    SessionVariables,
    /// <summary><c>SET NAMES …</c> or <c>SET CHARACTER SET …</c>: tracked as the session's character set.</summary>
    CharacterSet,
    /// <summary><c>SET GLOBAL …</c>: server-wide, nothing to track for the session.</summary>
    Global,
    /// <summary><c>SET TRANSACTION …</c>: applies to the next transaction, on this connection only.</summary>
    NextTransaction,
    /// <summary>User variables, expressions, or anything else the proxy cannot replay: the session is pinned.</summary>
    Untrackable,
}

/// <summary>A parsed <c>SET</c>: its kind, and for tracked kinds what to re-apply (<c>name = value</c> text as written).</summary>
internal sealed record SetStatement(SetStatementKind Kind, ImmutableArray<KeyValuePair<string, string>> Variables, string? CharacterSetStatement)
{
    public static SetStatement Untrackable { get; } = new(SetStatementKind.Untrackable, [], null);
    public static SetStatement Global { get; } = new(SetStatementKind.Global, [], null);
    public static SetStatement NextTransaction { get; } = new(SetStatementKind.NextTransaction, [], null);
}
