namespace ProxyLayer.Monitor;

/// <summary>Why a probe failed. Only <see cref="Timeout"/> counts towards read_only's timeout rule.</summary>
internal enum ProbeFailureKind
{
    /// <summary>No answer within the check's timeout (a hung or overloaded server).</summary>
    Timeout,
    /// <summary>Refused, reset or unreachable: the server is down.</summary>
    Connection,
    /// <summary>The monitor user was rejected; ProxySQL does not count this against the server.</summary>
    AccessDenied,
    /// <summary>Connected, but the statement failed.</summary>
    Query,
}

/// <summary>A failed probe. The message is what the monitor tables show in their error column.</summary>
internal sealed record ProbeFailure(ProbeFailureKind Kind, string Message)
{
    /// <summary>Starts with "timeout", which is how ProxySQL recognises a timed-out check.</summary>
    public static ProbeFailure TimedOut(TimeSpan timeout) =>
        new(ProbeFailureKind.Timeout, $"timeout check: no answer within {(long)timeout.TotalMilliseconds}ms");
}

/// <summary>Connect or ping: success or a failure.</summary>
internal sealed record ProbeResult(ProbeFailure? Failure)
{
    public static ProbeResult Success { get; } = new((ProbeFailure?)null);
    public bool Succeeded => Failure is null;
    /// <summary>The version string of the server's greeting, when a successful connect saw it.</summary>
    public string? ServerVersion { get; init; }
}

/// <summary>The server's read_only as its check_type defines it, or a failure.</summary>
internal sealed record ReadOnlyResult(bool ReadOnly, ProbeFailure? Failure)
{
    public static ReadOnlyResult Of(bool readOnly) => new(readOnly, null);
    public static ReadOnlyResult Failed(ProbeFailure failure) => new(true, failure);
    public bool Succeeded => Failure is null;
}

/// <summary>
/// <c>Seconds_Behind_Master</c> of a replica (null when the server reports NULL, e.g. the SQL thread stopped),
/// "not a replica" when <c>SHOW SLAVE STATUS</c> returns no row, or a failure.
/// </summary>
internal sealed record LagResult(bool IsReplica, int? SecondsBehindMaster, ProbeFailure? Failure)
{
    public static LagResult NotReplica { get; } = new(false, null, null);
    public static LagResult Replica(int? secondsBehindMaster) => new(true, secondsBehindMaster, null);
    public static LagResult Failed(ProbeFailure failure) => new(false, null, failure);
    public bool Succeeded => Failure is null;
}
