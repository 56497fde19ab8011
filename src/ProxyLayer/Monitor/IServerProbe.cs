namespace ProxyLayer.Monitor;

/// <summary>
/// Who to probe and as whom (<c>mysql-monitor_username</c>/<c>_password</c>, which can change live), and over TLS
/// when a row of the server has <c>use_ssl=1</c>, as ProxySQL's monitor does.
/// </summary>
internal sealed record ProbeTarget(ServerAddress Server, string Username, string Password, ProbeTls? Tls = null);

/// <summary>TLS for a probe, from <c>mysql-ssl_p2s_*</c>: the server is verified only when a CA file is set; empty means unset.</summary>
internal sealed record ProbeTls(string Ca, string Cert, string Key);

/// <summary>
/// Talks to one backend for the monitor. Implementations should honour <paramref name="cancellationToken"/>, but the
/// scheduler does not rely on it: every call is also bounded by the check's timeout from the outside.
/// </summary>
internal interface IServerProbe
{
    /// <summary>Opens a new connection and closes it.</summary>
    ValueTask<ProbeResult> ConnectAsync(ProbeTarget target, CancellationToken cancellationToken);

    ValueTask<ProbeResult> PingAsync(ProbeTarget target, CancellationToken cancellationToken);

    /// <param name="checkType">From <c>mysql_replication_hostgroups.check_type</c>, e.g. <c>read_only|innodb_read_only</c>.</param>
    ValueTask<ReadOnlyResult> ReadOnlyAsync(ProbeTarget target, string checkType, CancellationToken cancellationToken);

    ValueTask<LagResult> ReplicationLagAsync(ProbeTarget target, CancellationToken cancellationToken);

    /// <summary>The wsrep status ProxySQL's Galera health check reads. Probes that cannot tell report a failed check.</summary>
    ValueTask<Galera.GaleraCheckResult> GaleraAsync(ProbeTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Galera.GaleraCheckResult.Failed(new ProbeFailure(ProbeFailureKind.Query, "this probe has no Galera check")));
    /// <summary>The server's applied GTID position (MariaDB <c>@@global.gtid_current_pos</c>).</summary>
    ValueTask<GtidPositionResult> GtidPositionAsync(ProbeTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new GtidPositionResult(null, new ProbeFailure(ProbeFailureKind.Query, "GTID positions are not read by this probe")));
}

/// <summary>A GTID position read from a server, or why not.</summary>
internal sealed record GtidPositionResult(string? Position, ProbeFailure? Failure)
{
    public static GtidPositionResult Failed(ProbeFailure failure) => new(null, failure);
}
