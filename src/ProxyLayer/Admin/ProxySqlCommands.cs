namespace ProxyLayer.Admin;

/// <summary>
/// <c>PROXYSQL …</c> commands. Shutdown and restart are signals the host acts on after answering OK; FLUSH QUERY
/// CACHE and FLUSH LOGS act on the live proxy (through <see cref="IAdminLiveActions"/>) before answering. The host
/// has no listener pausing yet, so PAUSE and RESUME are accepted as no-ops that say so.
/// </summary>
internal static class ProxySqlCommands
{
    /// <param name="live">The running proxy; null when the executor runs without one (nothing live to act on).</param>
    public static AdminResult Run(ProxySqlAction action, IAdminLiveActions? live) => action switch
    {
        ProxySqlAction.Shutdown => new AdminResult.Shutdown(Graceful: false),
        ProxySqlAction.ShutdownSlow => new AdminResult.Shutdown(Graceful: true),
        ProxySqlAction.Restart => new AdminResult.Restart(),
        ProxySqlAction.FlushLogs => Done(live, static l => l.FlushLogs()),
        ProxySqlAction.FlushQueryCache => Done(live, static l => l.FlushQueryCache()),
        ProxySqlAction.Pause => NotSupportedYet("PROXYSQL PAUSE"),
        ProxySqlAction.Resume => NotSupportedYet("PROXYSQL RESUME"),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>ProxySQL answers these with a plain OK (0 rows), whatever they found to do.</summary>
    private static AdminResult.Ok Done(IAdminLiveActions? live, Action<IAdminLiveActions> act)
    {
        if (live is not null)
            act(live);
        return new AdminResult.Ok();
    }

    private static AdminResult.Ok NotSupportedYet(string command)
    {
        var note = $"{command} is accepted but does nothing yet in ProxyLayer";
        return new AdminResult.Ok(0, note, [AdminWarning.Of(note)]);
    }
}

/// <summary>What admin commands change in the running proxy before they answer.</summary>
internal interface IAdminLiveActions
{
    /// <summary><c>PROXYSQL FLUSH QUERY CACHE</c>: empties the query cache.</summary>
    void FlushQueryCache();

    /// <summary><c>PROXYSQL FLUSH LOGS</c>: closes the events log and continues in the next file.</summary>
    void FlushLogs();

    /// <summary><c>SHOW PROMETHEUS METRICS</c>: the text <c>GET /metrics</c> serves.</summary>
    string PrometheusMetrics();

    /// <summary><c>SAVE MYSQL DIGEST TO DISK</c>: moves the digest table into <c>stats_history</c>; returns the rows moved.</summary>
    int SaveDigestsToDisk();
}
