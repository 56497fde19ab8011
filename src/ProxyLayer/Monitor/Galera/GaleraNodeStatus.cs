namespace ProxyLayer.Monitor.Galera;

/// <summary>One Galera health check's answer, as ProxySQL reads it (a missing or unreadable value counts against the node).</summary>
internal sealed record GaleraNodeStatus(
    int LocalState,
    bool ReadOnly,
    long LocalRecvQueue,
    bool Desync,
    bool RejectQueries,
    bool SstDonorRejectsQueries,
    bool PrimaryPartition,
    bool PxcMaintMode)
{
    /// <summary>wsrep_local_state 4: Synced.</summary>
    public const int Synced = 4;

    /// <summary>wsrep_local_state 2: Donor/Desynced.</summary>
    public const int Donor = 2;
}

/// <summary>A Galera check: the node's status, or why it could not be read.</summary>
internal sealed record GaleraCheckResult(GaleraNodeStatus? Status, ProbeFailure? Failure)
{
    public static GaleraCheckResult Of(GaleraNodeStatus status) => new(status, null);
    public static GaleraCheckResult Failed(ProbeFailure failure) => new(null, failure);
}
