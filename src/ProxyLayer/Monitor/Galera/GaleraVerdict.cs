namespace ProxyLayer.Monitor.Galera;

/// <summary>What one check says should happen to a node: ProxySQL's set_offline, set_read_only or set_writer.</summary>
internal enum GaleraAction
{
    /// <summary>Nothing yet (a timeout, but not enough of them in a row).</summary>
    None,
    Offline,
    /// <summary>pxc_maint_mode: SHUNNED where it is, so running transactions finish, and copied to the offline hostgroup.</summary>
    OfflineSoft,
    ReadOnly,
    Writer,
}

internal readonly record struct GaleraVerdict(GaleraAction Action, string Reason)
{
    /// <summary>
    /// ProxySQL's reading of one check (MySQL_Monitor.cpp, monitor_galera_thread), in its order: a failed check, then
    /// not Primary, desync, a state other than Synced (or Donor when the donor takes queries), reject_queries,
    /// pxc_maint_mode, then read_only with the receive queue against max_transactions_behind.
    /// </summary>
    /// <param name="consecutiveTimeouts">Timed-out checks among the latest ones, this one included (0 when this one did not time out).</param>
    public static GaleraVerdict Judge(GaleraCheckResult result, int consecutiveTimeouts, int maxTimeoutCount, int maxTransactionsBehind)
    {
        if (result.Failure is { } failure)
        {
            if (failure.Kind != ProbeFailureKind.Timeout)
                return new(GaleraAction.Offline, failure.Message);
            return consecutiveTimeouts == maxTimeoutCount
                ? new(GaleraAction.Offline, $"{consecutiveTimeouts} Galera checks timed out in a row ({failure.Message})")
                : new(GaleraAction.None, failure.Message);
        }
        var s = result.Status!;
        if (!s.PrimaryPartition)
            return new(GaleraAction.Offline, "primary_partition=NO");
        if (s.Desync)
            return new(GaleraAction.Offline, "wsrep_desync=YES");
        if (s.LocalState != GaleraNodeStatus.Synced && (s.LocalState != GaleraNodeStatus.Donor || s.SstDonorRejectsQueries))
            return new(GaleraAction.Offline, $"wsrep_local_state={s.LocalState}");
        if (s.RejectQueries)
            return new(GaleraAction.Offline, "wsrep_reject_queries=true");
        if (s.PxcMaintMode)
            return new(GaleraAction.OfflineSoft, "pxc_maint_mode=YES");
        if (s.ReadOnly)
        {
            return s.LocalRecvQueue > maxTransactionsBehind
                ? new(GaleraAction.Offline, $"slave is lagging (wsrep_local_recv_queue={s.LocalRecvQueue} > max_transactions_behind={maxTransactionsBehind})")
                : new(GaleraAction.ReadOnly, "read_only=YES");
        }
        return new(GaleraAction.Writer, "writable and Synced");
    }
}
