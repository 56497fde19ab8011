namespace ProxyLayer.Config;

/// <summary>One row of <c>mysql_galera_hostgroups</c>: the four hostgroups of one Galera cluster and how the monitor fills them.</summary>
public sealed record GaleraHostgroupConfig
{
    public required int WriterHostgroup { get; init; }
    public required int BackupWriterHostgroup { get; init; }
    public required int ReaderHostgroup { get; init; }
    public required int OfflineHostgroup { get; init; }
    public bool Active { get; init; } = true;
    public int MaxWriters { get; init; } = 1;
    /// <summary>0: writers only write; 1: writers also read; 2: only backup writers read (readers if there are none).</summary>
    public int WriterIsAlsoReader { get; init; }
    /// <summary>A read_only node with a longer <c>wsrep_local_recv_queue</c> goes to the offline hostgroup.</summary>
    public int MaxTransactionsBehind { get; init; }
    public string? Comment { get; init; }

    /// <summary>Whether <paramref name="hostgroupId"/> is one of this cluster's four hostgroups.</summary>
    public bool Contains(int hostgroupId) =>
        hostgroupId == WriterHostgroup || hostgroupId == BackupWriterHostgroup || hostgroupId == ReaderHostgroup || hostgroupId == OfflineHostgroup;
}
