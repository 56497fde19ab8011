using System.Globalization;
using Microsoft.Data.Sqlite;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Sessions;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_global</c>: the recorded counters, plus values computed at read time from the sessions
/// (Active_Transactions, Client_Connections_connected/non_idle) and the backend servers (Server_Connections_*,
/// Queries_backends_bytes_*), then rows kept elsewhere (Query_Cache_*, Mirror_*). <c>Query_digest_entries</c>/
/// <c>_overflow</c>, <c>Query_rules_regex_timeouts</c> (of the running rule set), <c>Mirror_dropped</c>,
/// <c>Mirror_failed</c> and <c>Client_Connections_out_of_order</c> are ProxyLayer's own.
/// </summary>
internal static class GlobalStats
{
    public const string Table = "stats_mysql_global";

    public static void Write(SqliteConnection connection, QueryStatistics statistics, IReadOnlyList<SessionInfo> sessions,
        IReadOnlyCollection<BackendServer> servers, RuntimeSnapshot snapshot, IEnumerable<(string Name, long Value)> more)
    {
        using var table = StatsTableWriter.Replace(connection, Table, "Variable_Name", "Variable_Value");
        foreach (var (name, value) in Values(statistics, sessions, servers, snapshot).Concat(more))
            table.Add(name, value.ToString(CultureInfo.InvariantCulture));
    }

    internal static IEnumerable<(string Name, long Value)> Values(QueryStatistics statistics, IReadOnlyList<SessionInfo> sessions,
        IReadOnlyCollection<BackendServer> servers, RuntimeSnapshot snapshot)
    {
        var globals = statistics.Globals;
        var commands = statistics.Commands;
        yield return ("ProxySQL_Uptime", (long)statistics.Uptime.TotalSeconds);
        yield return ("Active_Transactions", sessions.Count(s => s.InTransaction));
        yield return ("Client_Connections_aborted", globals.ClientConnectionsAborted);
        yield return ("Client_Connections_connected", sessions.Count);
        yield return ("Client_Connections_created", globals.ClientConnectionsCreated);
        yield return ("Client_Connections_out_of_order", globals.CommandsOutOfOrder);
        yield return ("Client_Connections_non_idle", sessions.Count(s => s.Phase is not (SessionPhase.Idle or SessionPhase.Handshaking)));
        yield return ("Server_Connections_aborted", servers.Sum(s => s.ConnectErrors));
        yield return ("Server_Connections_connected", servers.Sum(s => (long)s.OpenConnections));
        yield return ("Server_Connections_created", servers.Sum(s => s.ConnectOk));
        yield return ("Queries_backends_bytes_recv", servers.Sum(s => s.BytesReceived));
        yield return ("Queries_backends_bytes_sent", servers.Sum(s => s.BytesSent));
        yield return ("Backend_query_time_nsec", globals.BackendQueryTimeMicroseconds * 1000);
        yield return ("Questions", globals.Questions);
        yield return ("Slow_queries", globals.SlowQueries);
        yield return ("Com_commit", commands.Count(QueryCommand.Commit));
        yield return ("Com_commit_filtered", globals.CommitFiltered);
        yield return ("Com_rollback", commands.Count(QueryCommand.Rollback));
        yield return ("Com_rollback_filtered", globals.RollbackFiltered);
        yield return ("Servers_table_version", snapshot.Version);
        yield return ("Query_digest_entries", statistics.Digests.Count);
        yield return ("Query_digest_overflow", statistics.Digests.Overflow);
        yield return ("Query_rules_regex_timeouts", snapshot.Rules.RegexTimeouts);
        yield return ("generated_error_packets", globals.ErrorsGenerated);
        yield return ("Access_Denied_Wrong_Password", globals.AccessDeniedWrongPassword);
        yield return ("Access_Denied_Max_Connections", globals.AccessDeniedMaxConnections);
        yield return ("Access_Denied_Max_User_Connections", globals.AccessDeniedMaxUserConnections);
        yield return ("Stmt_Server_Active_Total", servers.Sum(s => (long)s.PreparedStatements));
        var frontend = sessions.Aggregate(globals.EndedSessionCommands, (total, s) => total + s.Commands);
        yield return ("Com_frontend_stmt_prepare", frontend.StmtPrepare);
        yield return ("Com_frontend_stmt_execute", frontend.StmtExecute);
        yield return ("Com_frontend_stmt_close", frontend.StmtClose);
        yield return ("Com_frontend_init_db", frontend.InitDb);
        yield return ("Com_frontend_use_db", commands.Count(QueryCommand.Use));
        // ProxySQL features ProxyLayer does not have (SQL-injection detection, Aurora, max_lag_ms,
        // hostgroup locking, connection throttling): what they count never happens here, so their variables are a true 0 for the tools
        // that read them by name.
        foreach (var name in NeverCounted)
            yield return (name, 0);
    }

    private static readonly string[] NeverCounted =
    [
        "automatic_detected_sql_injection", "whitelisted_sqli_fingerprint", "get_aws_aurora_replicas_skipped_during_query",
        "queries_with_max_lag_ms", "queries_with_max_lag_ms__delayed",
        "queries_with_max_lag_ms__total_wait_time_us", "Client_Connections_hostgroup_locked", "hostgroup_locked_set_cmds",
        "hostgroup_locked_queries", "Server_Connections_delayed",
    ];
}
