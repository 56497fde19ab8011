namespace ProxyLayer.Monitor.Galera;

/// <summary>
/// The statement of ProxySQL's Galera health check and how its eight columns are read. A value that is NULL or not
/// recognised keeps the pessimistic default (not Primary, read_only, desynced, rejecting queries), as in ProxySQL.
/// </summary>
internal static class GaleraStatusQuery
{
    public const int Columns = 8;

    /// <summary>MariaDB and PXC 5.6 read information_schema; MySQL 5.7/8 based servers performance_schema, with pxc_maint_mode.</summary>
    public static string For(string serverVersion) =>
        serverVersion.StartsWith("5.7", StringComparison.Ordinal) || serverVersion.StartsWith('8')
            ? "SELECT (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME='WSREP_LOCAL_STATE') wsrep_local_state, "
              + "@@read_only read_only, (SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME='WSREP_LOCAL_RECV_QUEUE') wsrep_local_recv_queue, "
              + "@@wsrep_desync wsrep_desync, @@wsrep_reject_queries wsrep_reject_queries, @@wsrep_sst_donor_rejects_queries wsrep_sst_donor_rejects_queries, "
              + "(SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME='WSREP_CLUSTER_STATUS') wsrep_cluster_status, "
              + "(SELECT COALESCE(MAX(VARIABLE_VALUE),'DISABLED') FROM performance_schema.global_variables WHERE variable_name='pxc_maint_mode') pxc_maint_mode"
            : "SELECT (SELECT VARIABLE_VALUE FROM INFORMATION_SCHEMA.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_STATE') wsrep_local_state, "
              + "@@read_only read_only, (SELECT VARIABLE_VALUE FROM INFORMATION_SCHEMA.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_RECV_QUEUE') wsrep_local_recv_queue, "
              + "@@wsrep_desync wsrep_desync, @@wsrep_reject_queries wsrep_reject_queries, @@wsrep_sst_donor_rejects_queries wsrep_sst_donor_rejects_queries, "
              + "(SELECT VARIABLE_VALUE FROM INFORMATION_SCHEMA.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_STATUS') wsrep_cluster_status, "
              + "(SELECT 'DISABLED') pxc_maint_mode";

    /// <param name="row">The eight values as text, null for SQL NULL.</param>
    public static GaleraNodeStatus Parse(IReadOnlyList<string?> row) => new(
        LocalState: int.TryParse(row[0], out var state) ? state : 0,
        ReadOnly: !IsOff(row[1]),
        LocalRecvQueue: long.TryParse(row[2], out var queue) ? queue : 0,
        Desync: !IsOff(row[3]),
        RejectQueries: !string.Equals(row[4], "NONE", StringComparison.OrdinalIgnoreCase),
        SstDonorRejectsQueries: !IsOff(row[5]),
        PrimaryPartition: string.Equals(row[6], "Primary", StringComparison.OrdinalIgnoreCase),
        PxcMaintMode: row[7] is { } mode && !mode.StartsWith("DISABLED", StringComparison.OrdinalIgnoreCase));

    private static bool IsOff(string? value) =>
        value is not null && (value.Equals("NO", StringComparison.OrdinalIgnoreCase) || value.Equals("OFF", StringComparison.OrdinalIgnoreCase) || value == "0");
}
