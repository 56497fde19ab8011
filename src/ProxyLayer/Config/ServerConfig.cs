namespace ProxyLayer.Config;

/// <summary>One row of <c>mysql_servers</c>: a backend server as a member of one hostgroup.</summary>
public sealed record ServerConfig
{
    public required int HostgroupId { get; init; }
    public required string Hostname { get; init; }
    public int Port { get; init; } = 3306;
    public int GtidPort { get; init; }
    public ServerStatus Status { get; init; } = ServerStatus.Online;
    public int Weight { get; init; } = 1;
    public bool Compression { get; init; }
    public int MaxConnections { get; init; } = 1000;
    /// <summary>Seconds; 0 means the lag is not checked.</summary>
    public int MaxReplicationLag { get; init; }
    public bool UseSsl { get; init; }
    /// <summary>0 means the global <c>mysql-default_max_latency_ms</c> applies.</summary>
    public int MaxLatencyMs { get; init; }
    public string Comment { get; init; } = "";
}

/// <summary>Server status with ProxySQL's names and meanings.</summary>
public enum ServerStatus
{
    /// <summary>Takes traffic.</summary>
    Online,
    /// <summary>Temporarily excluded (failed connects or pings, or replication lag); comes back by itself.</summary>
    Shunned,
    /// <summary>No new traffic; running transactions and attached sessions finish.</summary>
    OfflineSoft,
    /// <summary>Excluded; its connections are closed.</summary>
    OfflineHard,
}
