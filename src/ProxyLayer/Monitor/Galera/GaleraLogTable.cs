using Microsoft.Data.Sqlite;

namespace ProxyLayer.Monitor.Galera;

/// <summary>Writes the in-memory Galera log into <c>monitor.mysql_server_galera_log</c>, with ProxySQL's YES/NO columns.</summary>
internal static class GaleraLogTable
{
    private static readonly string[] Parameters =
        ["@host", "@port", "@start", "@time", "@primary", "@ro", "@queue", "@state", "@desync", "@reject", "@donor", "@pxc", "@error"];

    public static void Rewrite(SqliteConnection connection, GaleraLogEntry[] entries)
    {
        using var transaction = connection.BeginTransaction();
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM monitor.mysql_server_galera_log";
            delete.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO monitor.mysql_server_galera_log (hostname, port, time_start_us, success_time_us, "
            + "primary_partition, read_only, wsrep_local_recv_queue, wsrep_local_state, wsrep_desync, wsrep_reject_queries, "
            + "wsrep_sst_donor_rejects_queries, pxc_maint_mode, error) "
            + "VALUES (@host, @port, @start, @time, @primary, @ro, @queue, @state, @desync, @reject, @donor, @pxc, @error)";
        var p = Parameters.Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
        foreach (var entry in entries)
        {
            // A failed check has no values: ProxySQL's table shows its column defaults then.
            var s = entry.Status ?? new GaleraNodeStatus(0, true, 0, false, false, false, false, false);
            object[] values =
            [
                entry.Server.Host, entry.Server.Port, entry.TimeStartUs, entry.SuccessTimeUs, YesNo(s.PrimaryPartition), YesNo(s.ReadOnly),
                s.LocalRecvQueue, s.LocalState, YesNo(s.Desync), YesNo(s.RejectQueries), YesNo(s.SstDonorRejectsQueries), YesNo(s.PxcMaintMode),
                (object?)entry.Error ?? DBNull.Value,
            ];
            for (var i = 0; i < values.Length; i++)
                p[i].Value = values[i];
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static string YesNo(bool value) => value ? "YES" : "NO";
}
