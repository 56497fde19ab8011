using ProxyLayer.Config;
using ProxyLayer.Routing;
using ProxyLayer.Sessions;
using ProxyLayer.Sessions.State;
using ProxyLayer.Stats;
using ProxyLayer.Tests.Admin;

namespace ProxyLayer.Tests.Stats;

public sealed class StatsTableRefresherTests
{
    private static readonly ProxyConfig Config = ProxyConfig.Empty with
    {
        Servers = [new ServerConfig { HostgroupId = 1, Hostname = "db1", Port = 3306 }, new ServerConfig { HostgroupId = 2, Hostname = "db2", Port = 3307 }],
        Users = [new UserConfig { Username = "app", MaxConnections = 5 }, new UserConfig { Username = "report" }],
        QueryRules =
        [
            new QueryRuleConfig { RuleId = 10, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 2, Apply = true },
            new QueryRuleConfig { RuleId = 20, Active = true, MatchPattern = "^INSERT", DestinationHostgroup = 1, Apply = true },
        ],
    };

    private static ExecutedStatement Statement(string query, long micros, long sent = 0) =>
        new() { Query = query.AsMemory(), Hostgroup = 2, Schema = "shop", Username = "app", ClientAddress = "10.0.0.5", ElapsedMicroseconds = micros, RowsSent = sent };

    [Fact]
    public void Query_digest_shows_one_row_per_shape_with_proxysql_columns()
    {
        using var stats = new StatsHarness(Config);
        stats.Statistics.Record(Statement("SELECT * FROM t WHERE id = 1", 120, sent: 1));
        stats.Time.Advance(TimeSpan.FromSeconds(3));
        stats.Statistics.Record(Statement("SELECT * FROM t WHERE id = 42", 80, sent: 1));

        var row = stats.Row("SELECT * FROM stats_mysql_query_digest");
        var hash = QueryDigest.FormatHash(QueryDigest.Compute("SELECT * FROM t WHERE id=?").Hash);
        AdminAssert.Row(["2", "shop", "app", "", hash, "SELECT * FROM t WHERE id=?", "2", "1700000000", "1700000003", "200", "80", "120", "0", "2"], row);
    }

    [Fact]
    public void Reading_the_digest_reset_table_returns_the_rows_then_empties_both()
    {
        using var stats = new StatsHarness(Config);
        stats.Statistics.Record(Statement("SELECT 1", 10));
        stats.Statistics.Record(Statement("INSERT INTO t VALUES (1)", 10));

        Assert.Equal(2, stats.Rows("SELECT * FROM stats.stats_mysql_query_digest_reset").Values.Count);
        Assert.Equal("0", stats.Scalar("SELECT COUNT(*) FROM stats_mysql_query_digest"));
        Assert.Equal("0", stats.Scalar("SELECT COUNT(*) FROM stats_mysql_query_digest_reset"));

        stats.Statistics.Record(Statement("SELECT 2", 10));
        Assert.Equal("1", stats.Scalar("SELECT count_star FROM stats_mysql_query_digest"));
    }

    [Fact]
    public void Connection_pool_reset_zeroes_counters_but_not_gauges()
    {
        using var stats = new StatsHarness(Config);
        var db1 = stats.Servers.Get("db1", 3306);
        db1.OnConnectionOpened();
        db1.OnConnectError();
        db1.OnQuery(10, 200);
        db1.OnQuery(5, 100);

        const string Columns = "hostgroup, srv_host, srv_port, status, ConnUsed, ConnFree, ConnOK, ConnERR, MaxConnUsed, Queries, Bytes_data_sent, Bytes_data_recv";
        var rows = stats.Rows($"SELECT {Columns} FROM stats_mysql_connection_pool ORDER BY hostgroup").Values;
        AdminAssert.Row(["1", "db1", "3306", "ONLINE", "1", "0", "1", "1", "1", "2", "15", "300"], rows[0]);
        AdminAssert.Row(["2", "db2", "3307", "ONLINE", "0", "0", "0", "0", "0", "0", "0", "0"], rows[1]);

        var reset = stats.Rows($"SELECT {Columns} FROM stats_mysql_connection_pool_reset WHERE hostgroup = 1").Values;
        AdminAssert.Row(["1", "db1", "3306", "ONLINE", "1", "0", "1", "1", "1", "2", "15", "300"], Assert.Single(reset));

        AdminAssert.Row(["1", "db1", "3306", "ONLINE", "1", "0", "0", "0", "1", "0", "0", "0"],
            stats.Row($"SELECT {Columns} FROM stats_mysql_connection_pool WHERE hostgroup = 1"));

        db1.OnQuery(1, 1);
        Assert.Equal("1", stats.Scalar("SELECT Queries FROM stats_mysql_connection_pool WHERE hostgroup = 1"));
    }

    [Fact]
    public void Commands_counters_list_every_command_with_buckets()
    {
        using var stats = new StatsHarness(Config);
        stats.Statistics.Record(Statement("SELECT 1", 150));
        stats.Statistics.Record(Statement("select 2", 20_000_000));

        Assert.Equal(QueryCommandNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            stats.Scalar("SELECT COUNT(*) FROM stats_mysql_commands_counters"));
        AdminAssert.Row(["SELECT", "20000150", "2", "0", "1", "1"],
            stats.Row("SELECT Command, Total_Time_us, Total_cnt, cnt_100us, cnt_500us, cnt_INFs FROM stats_mysql_commands_counters WHERE Command = 'SELECT'"));
    }

    [Fact]
    public void Global_shows_recorded_and_computed_values()
    {
        using var stats = new StatsHarness(Config);
        stats.Statistics.OnClientConnectionCreated();
        stats.Statistics.OnClientConnectionCreated();
        stats.Statistics.OnClientConnectionAborted();
        stats.Statistics.Record(Statement("COMMIT", 5));
        stats.Statistics.RecordAnsweredLocally("ROLLBACK");
        stats.Sessions.Sessions.Add(Session(1, SessionPhase.Idle, inTransaction: true));
        stats.Sessions.Sessions.Add(Session(2, SessionPhase.Relaying, inTransaction: false));
        stats.Servers.Get("db1", 3306).OnConnectionOpened();
        stats.Time.Advance(TimeSpan.FromSeconds(90));

        var values = stats.Rows("SELECT Variable_Name, Variable_Value FROM stats_mysql_global").Values
            .ToDictionary(r => r[0]!, r => r[1]);
        Assert.Equal("90", values["ProxySQL_Uptime"]);
        Assert.Equal("1", values["Active_Transactions"]);
        Assert.Equal("2", values["Client_Connections_connected"]);
        Assert.Equal("2", values["Client_Connections_created"]);
        Assert.Equal("1", values["Client_Connections_aborted"]);
        Assert.Equal("1", values["Client_Connections_non_idle"]);
        Assert.Equal("1", values["Server_Connections_created"]);
        Assert.Equal("1", values["Server_Connections_connected"]);
        Assert.Equal("2", values["Questions"]);
        Assert.Equal("1", values["Com_commit"]);
        Assert.Equal("1", values["Com_rollback_filtered"]);
        Assert.Equal("1", values["Query_digest_entries"]);
    }

    [Fact]
    public void Processlist_shows_whether_and_why_a_session_is_pinned()
    {
        using var stats = new StatsHarness(Config);
        stats.Sessions.Sessions.Add(Session(7, SessionPhase.Idle, inTransaction: false) with
        {
            Pins = PinReasons.UserVariables | PinReasons.TemporaryTable,
            BackendServer = "db1:3306",
            Hostgroup = 1,
        });
        stats.Sessions.Sessions.Add(Session(8, SessionPhase.Relaying, inTransaction: true) with { CurrentQuery = "SELECT SLEEP(1)" });
        stats.Time.Advance(TimeSpan.FromMilliseconds(1500));

        var rows = stats.Rows("SELECT SessionID, user, db, cli_host, cli_port, hostgroup, srv_host, srv_port, command, time_ms, info, status_flags, extended_info FROM stats_mysql_processlist ORDER BY SessionID").Values;
        AdminAssert.Row(["7", "app", "shop", "10.0.0.5", "50007", "1", "db1", "3306", "Sleep", "1500", null, "3",
            """{"phase":"Idle","in_transaction":false,"pinned":true,"pin_reasons":["UserVariables","TemporaryTable"]}"""], rows[0]);
        AdminAssert.Row(["8", "app", "shop", "10.0.0.5", "50008", "-1", null, null, "Query", "1500", "SELECT SLEEP(1)", "0",
            """{"phase":"Relaying","in_transaction":true,"pinned":false,"pin_reasons":[]}"""], rows[1]);
    }

    [Fact]
    public void Users_show_frontend_connections_and_limits()
    {
        using var stats = new StatsHarness(Config);
        stats.Sessions.PerUser["app"] = 2;
        var rows = stats.Rows("SELECT * FROM stats_mysql_users ORDER BY username").Values;
        AdminAssert.Row(["app", "2", "5"], rows[0]);
        AdminAssert.Row(["report", "0", "10000"], rows[1]);
    }

    [Fact]
    public void Query_rules_show_hits_of_the_running_rules()
    {
        using var stats = new StatsHarness(Config);
        var rules = stats.Runtime.Snapshot.Rules;
        rules.Evaluate(new QueryRuleInput { Query = "SELECT 1".AsMemory() });
        rules.Evaluate(new QueryRuleInput { Query = "SELECT 2".AsMemory() });
        var rows = stats.Rows("SELECT rule_id, hits FROM stats_mysql_query_rules ORDER BY rule_id").Values;
        AdminAssert.Row(["10", "2"], rows[0]);
        AdminAssert.Row(["20", "0"], rows[1]);
    }

    [Fact]
    public void Only_the_named_tables_are_refreshed()
    {
        using var stats = new StatsHarness(Config);
        stats.Sessions.Sessions.Add(Session(1, SessionPhase.Idle, inTransaction: false));
        stats.Statistics.Record(Statement("SELECT 1", 10));

        stats.Rows("SELECT * FROM stats_mysql_global");
        Assert.True(stats.CountWithoutRefresh("stats_mysql_global") > 0);
        Assert.Equal(0, stats.CountWithoutRefresh("stats_mysql_processlist"));
        Assert.Equal(0, stats.CountWithoutRefresh("stats_mysql_query_digest"));
        Assert.Equal(0, stats.CountWithoutRefresh("stats_mysql_commands_counters"));
        Assert.Equal(1, stats.Statistics.Digests.Count);
    }

    private static SessionInfo Session(uint id, SessionPhase phase, bool inTransaction) => new()
    {
        ConnectionId = id,
        Username = "app",
        Schema = "shop",
        Remote = FakeStatsSessions.Client("10.0.0.5", 50_000 + (int)id),
        Phase = phase,
        InTransaction = inTransaction,
        StartedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
    };
}
