namespace ProxyLayer.Monitor;

/// <summary>What the monitor policy remembers about one server between checks. Guarded by the policy's lock.</summary>
internal sealed class ServerHealth
{
    public int PingFailures { get; set; }
    public DateTimeOffset LastPingFailureAt { get; set; }
    public bool LastPingFailed { get; set; }
    public bool PingShunned { get; set; }

    public int ReadOnlyTimeouts { get; set; }
    public bool LastReadOnlyFailed { get; set; }
    /// <summary>The latest read_only check succeeded and said read_only=0: this server claims to be a writer.</summary>
    public bool ReportsWritable { get; set; }

    /// <summary>Consecutive over-limit lag checks, per hostgroup entry (each entry has its own max_replication_lag).</summary>
    public Dictionary<int, int> LagStreaks { get; } = [];
    public HashSet<int> LagShunned { get; } = [];
    /// <summary>Writer hostgroups whose entry is held SHUNNED because another server is the live writer there.</summary>
    public HashSet<int> Fenced { get; } = [];

    /// <summary>Some entry of this server is SHUNNED because of the monitor, so the monitor may set it ONLINE again.</summary>
    public bool HeldByMonitor { get; set; }

    public ShunReason ReasonsFor(int hostgroupId) =>
        (PingShunned ? ShunReason.Ping : ShunReason.None)
        | (LagShunned.Contains(hostgroupId) ? ShunReason.ReplicationLag : ShunReason.None)
        | (Fenced.Contains(hostgroupId) ? ShunReason.Fenced : ShunReason.None);
}
