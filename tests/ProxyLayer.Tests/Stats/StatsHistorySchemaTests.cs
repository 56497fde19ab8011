using ProxyLayer.Admin;
using ProxyLayer.Stats.History;

namespace ProxyLayer.Tests.Stats;

/// <summary><c>stats_history</c> has ProxySQL 2.7.2's tables and columns, in order.</summary>
public sealed class StatsHistorySchemaTests
{
    private const string Connections = "timestamp Client_Connections_aborted Client_Connections_connected Client_Connections_created " +
        "Server_Connections_aborted Server_Connections_connected Server_Connections_created ConnPool_get_conn_failure " +
        "ConnPool_get_conn_immediate ConnPool_get_conn_success Questions Slow_queries GTID_consistent_queries";
    private const string Myhgm = "timestamp MyHGM_myconnpoll_destroy MyHGM_myconnpoll_get MyHGM_myconnpoll_get_ok MyHGM_myconnpoll_push MyHGM_myconnpoll_reset";
    private const string QueryCache = "timestamp count_GET count_GET_OK count_SET bytes_IN bytes_OUT Entries_Purged Entries_In_Cache Memory_Bytes";
    private const string Cpu = "timestamp tms_utime tms_stime";
    private const string Memory = "timestamp allocated resident active mapped metadata retained";

    /// <summary>
    /// Taken from the ProxySQL 2.7.2 binary: <c>SHOW TABLES FROM stats_history</c>, then <c>SHOW CREATE TABLE</c> of each.
    /// </summary>
    private static readonly Dictionary<string, string> ProxySql = new()
    {
        ["history_mysql_query_digest"] = "dump_time hostgroup schemaname username client_address digest digest_text count_star " +
            "first_seen last_seen sum_time min_time max_time sum_rows_affected sum_rows_sent",
        ["history_mysql_status_variables"] = "timestamp variable_id variable_value",
        ["history_mysql_status_variables_lookup"] = "variable_id variable_name",
        ["history_stats_mysql_connection_pool"] = "timestamp hostgroup srv_host srv_port status ConnUsed ConnFree ConnOK ConnERR " +
            "MaxConnUsed Queries Queries_GTID_sync Bytes_data_sent Bytes_data_recv Latency_us",
        ["myhgm_connections"] = Myhgm, ["myhgm_connections_day"] = Myhgm, ["myhgm_connections_hour"] = Myhgm,
        ["mysql_connections"] = Connections, ["mysql_connections_day"] = Connections, ["mysql_connections_hour"] = Connections,
        ["mysql_query_cache"] = QueryCache, ["mysql_query_cache_day"] = QueryCache, ["mysql_query_cache_hour"] = QueryCache,
        ["system_cpu"] = Cpu, ["system_cpu_day"] = Cpu, ["system_cpu_hour"] = Cpu,
        ["system_memory"] = Memory, ["system_memory_day"] = Memory, ["system_memory_hour"] = Memory,
    };

    [Fact]
    public void Every_table_of_ProxySQL_exists_with_its_columns_and_no_other()
    {
        using var store = AdminStore.OpenInMemory();
        var actual = store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            StatsHistoryTables.EnsureCreated(connection);    // a restart finds them there
            var tables = new Dictionary<string, string>();
            using var list = connection.CreateCommand();
            list.CommandText = "SELECT name FROM stats_history.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
                names.Add(reader.GetString(0));
            foreach (var name in names)
            {
                using var info = connection.CreateCommand();
                info.CommandText = $"PRAGMA stats_history.table_info({name})";
                using var columns = info.ExecuteReader();
                var found = new List<string>();
                while (columns.Read())
                    found.Add(columns.GetString(1));
                tables[name] = string.Join(' ', found);
            }
            return tables;
        });
        Assert.Equal(ProxySql.OrderBy(t => t.Key), actual.OrderBy(t => t.Key));
    }
}
