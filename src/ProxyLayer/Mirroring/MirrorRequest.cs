using ProxyLayer.Backends;

namespace ProxyLayer.Mirroring;

/// <summary>
/// A copy of a client's statement to run on a mirror hostgroup, as ProxySQL makes one: the same user and schema, a
/// fresh session otherwise (no session variables, no client address). Built from what the session already holds,
/// so queueing it copies nothing.
/// </summary>
internal readonly record struct MirrorRequest
{
    /// <summary>The statement as the client's own backend gets it (after any rewrite).</summary>
    public required string Query { get; init; }
    public required BackendCredentials Credentials { get; init; }
    public required BackendPoolKey PoolKey { get; init; }
    public string? Schema { get; init; }
    /// <summary>How the client's bytes are encoded (its SET NAMES), so the copy means the same text.</summary>
    public required string CharacterSetStatement { get; init; }
    public required int DefaultHostgroup { get; init; }
    /// <summary>Where the copy goes; null: the user's default hostgroup (ProxySQL's rule for a flagOUT alone).</summary>
    public int? MirrorHostgroup { get; init; }
    /// <summary>If set, the copy's rules are evaluated from this flagIN, and may change its hostgroup or text.</summary>
    public int? MirrorFlagOut { get; init; }
}
