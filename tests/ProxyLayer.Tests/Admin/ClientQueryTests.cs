using ProxyLayer.Admin;

namespace ProxyLayer.Tests.Admin;

/// <summary>What the mysql CLI and connectors send on their own, answered locally.</summary>
public sealed class ClientQueryTests
{
    [Theory]
    [InlineData("select @@version_comment limit 1", "@@version_comment", "(ProxyLayer Admin Module)")]
    [InlineData("SELECT DATABASE()", "DATABASE()", "admin")]
    [InlineData("SELECT USER()", "USER()", "admin")]
    [InlineData("SELECT @@version", "@@version", "8.0.11")]
    [InlineData("select @@sql_mode", "@@sql_mode", "")]
    [InlineData("select connection_id()", "connection_id()", "7")]
    [InlineData("SELECT @@mysql-threads", "@@mysql-threads", "4")]
    [InlineData("SELECT @@session.auto_increment_increment AS auto_increment_increment", "auto_increment_increment", "1")]
    [InlineData("select @@refresh_interval", "@@refresh_interval", "2000")]
    public void Single_values(string query, string column, string value)
    {
        using var admin = new AdminHarness();
        var rows = admin.Rows(query);
        Assert.Equal([column], rows.Columns);
        AdminAssert.Row([value], Assert.Single(rows.Values));
    }

    [Fact]
    public void Cli_status_queries()
    {
        using var admin = new AdminHarness();
        var who = admin.Rows("select DATABASE(), USER() limit 1");
        Assert.Equal(["DATABASE()", "USER()"], who.Columns);
        AdminAssert.Row(["admin", "admin"], Assert.Single(who.Values));

        var charsets = admin.Rows("select @@character_set_client, @@character_set_connection, @@character_set_server, @@character_set_database limit 1");
        AdminAssert.Row(["utf8", "utf8", "utf8", "utf8"], Assert.Single(charsets.Values));
    }

    [Fact]
    public void Connector_probes_do_not_fail()
    {
        using var admin = new AdminHarness();
        admin.Rows("SELECT TIMEDIFF(NOW(), UTC_TIMESTAMP())");
        var probe = admin.Rows("select @@max_allowed_packet, @@character_set_client, @@character_set_connection, @@license, @@sql_mode, @@lower_case_table_names, @@no_such_variable");
        AdminAssert.Row(["67108864", "utf8", "utf8", "GPL", "", "0", null], Assert.Single(probe.Values));
    }

    [Fact]
    public void MySqlConnector_proxy_probe_is_answered()
    {
        using var admin = new AdminHarness();
        var rows = admin.Rows("SELECT CONNECTION_ID(), VERSION();");
        Assert.Equal(["CONNECTION_ID()", "VERSION()"], rows.Columns);
        AdminAssert.Row(["7", "8.0.11"], Assert.Single(rows.Values));
        admin.Ok("set session transaction isolation level read committed");
    }

    [Fact]
    public void Stats_users_are_in_the_stats_database()
    {
        using var admin = new AdminHarness();
        var result = admin.Executor.Execute("SELECT DATABASE()", new AdminSessionContext("stats", statsOnly: true));
        Assert.Equal("stats", Assert.IsType<AdminResult.Rows>(result).Values.Single()[0]);
    }

    [Theory]
    [InlineData("SET NAMES utf8mb4")]
    [InlineData("SET autocommit=1")]
    [InlineData("set character_set_results = NULL")]
    [InlineData("SET SQL_SAFE_UPDATES=1")]
    [InlineData("BEGIN")]
    [InlineData("START TRANSACTION")]
    [InlineData("COMMIT")]
    [InlineData("ROLLBACK")]
    [InlineData("USE main")]
    [InlineData("/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */")]
    [InlineData("LOCK TABLES mysql_servers READ")]
    [InlineData("UNLOCK TABLES")]
    public void Session_statements_are_ok_no_ops(string statement)
    {
        using var admin = new AdminHarness();
        Assert.Equal(0, admin.Ok(statement).AffectedRows);
    }

    [Fact]
    public void Plain_selects_still_run_on_sqlite()
    {
        using var admin = new AdminHarness();
        Assert.Equal("2", admin.Scalar("SELECT 1+1"));
        Assert.Equal("x", admin.Scalar("SELECT 'x' AS a LIMIT 1"));
    }
}
