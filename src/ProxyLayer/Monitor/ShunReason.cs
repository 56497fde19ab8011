namespace ProxyLayer.Monitor;

/// <summary>Why the monitor holds a server entry SHUNNED. Recovery clears only its own reason.</summary>
[Flags]
internal enum ShunReason
{
    None = 0,
    /// <summary><c>monitor_ping_max_failures</c> pings failed in a row (every hostgroup of the server).</summary>
    Ping = 1,
    /// <summary>Lag above the entry's <c>max_replication_lag</c> for <c>monitor_replication_lag_count</c> checks.</summary>
    ReplicationLag = 2,
    /// <summary>Writer fencing: another server is the live writer of this writer hostgroup.</summary>
    Fenced = 4,
}
