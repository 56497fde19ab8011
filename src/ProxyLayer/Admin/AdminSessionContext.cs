namespace ProxyLayer.Admin;

/// <summary>
/// Per-connection state of an admin session. The listener creates one per login; the executor keeps the last
/// statement's warnings here for <c>SHOW WARNINGS</c>.
/// </summary>
internal sealed class AdminSessionContext
{
    public AdminSessionContext(string username, long connectionId = 0, bool statsOnly = false)
    {
        Username = username;
        ConnectionId = connectionId;
        StatsOnly = statsOnly;
    }

    public string Username { get; }

    /// <summary>What <c>SELECT CONNECTION_ID()</c> answers.</summary>
    public long ConnectionId { get; }

    /// <summary>True for <c>admin-stats_credentials</c> users; <c>SELECT DATABASE()</c> then answers <c>stats</c>.</summary>
    public bool StatsOnly { get; }

    /// <summary>What <c>SELECT DATABASE()</c> answers (<c>USE</c> is accepted and ignored, as in ProxySQL).</summary>
    public string DatabaseName => StatsOnly ? "stats" : "admin";

    public IReadOnlyList<AdminWarning> LastWarnings { get; internal set; } = [];
}
