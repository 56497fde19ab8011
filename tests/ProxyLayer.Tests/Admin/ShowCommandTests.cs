namespace ProxyLayer.Tests.Admin;

public sealed class ShowCommandTests
{
    [Fact]
    public void Show_databases_lists_the_attached_schemas()
    {
        using var admin = new AdminHarness();
        var rows = admin.Rows("SHOW DATABASES");
        Assert.Equal(["seq", "name", "file"], rows.Columns);
        Assert.Equal(["main", "disk", "stats", "monitor", "stats_history"], rows.Values.Select(r => r[1]));
        Assert.Equal(rows.Values, admin.Rows("show schemas").Values);
    }

    [Fact]
    public void Show_tables_lists_config_and_runtime_tables()
    {
        using var admin = new AdminHarness();
        var tables = admin.Rows("SHOW TABLES");
        Assert.Equal(["tables"], tables.Columns);
        var names = tables.Values.Select(r => r[0]).ToList();
        foreach (var expected in new[]
        {
            "global_variables", "mysql_aws_aurora_hostgroups", "mysql_galera_hostgroups", "mysql_group_replication_hostgroups",
            "mysql_hostgroup_attributes", "mysql_query_rules", "mysql_query_rules_fast_routing", "mysql_replication_hostgroups",
            "mysql_servers", "mysql_servers_ssl_params", "mysql_users", "proxysql_servers", "restapi_routes", "scheduler",
            "runtime_mysql_servers", "runtime_mysql_users", "runtime_global_variables", "runtime_checksums_values", "runtime_scheduler",
        })
            Assert.Contains(expected, names);
        Assert.DoesNotContain("sqlite_sequence", names);

        Assert.Equal(["mysql_server_connect_log", "mysql_server_galera_log", "mysql_server_ping_log", "mysql_server_read_only_log", "mysql_server_replication_lag_log"],
            admin.Column("SHOW TABLES FROM monitor"));
        Assert.Equal(["stats_mysql_query_digest", "stats_mysql_query_digest_reset"], admin.Column("SHOW TABLES IN stats LIKE 'stats_mysql_query_digest%'"));
        Assert.DoesNotContain("runtime_mysql_servers", admin.Column("SHOW TABLES FROM disk"));
    }

    [Fact]
    public void Show_create_table_prints_proxysql_ddl_one_column_per_line()
    {
        using var admin = new AdminHarness();
        var rows = admin.Rows("SHOW CREATE TABLE mysql_replication_hostgroups");
        Assert.Equal(["table", "Create Table"], rows.Columns);
        AdminAssert.Row(
            ["mysql_replication_hostgroups",
             "CREATE TABLE mysql_replication_hostgroups (\n" +
             "    writer_hostgroup INT CHECK (writer_hostgroup>=0) NOT NULL PRIMARY KEY,\n" +
             "    reader_hostgroup INT NOT NULL CHECK (reader_hostgroup<>writer_hostgroup AND reader_hostgroup>=0),\n" +
             "    check_type VARCHAR CHECK (LOWER(check_type) IN ('read_only','innodb_read_only','super_read_only','read_only|innodb_read_only','read_only&innodb_read_only')) NOT NULL DEFAULT 'read_only',\n" +
             "    comment VARCHAR NOT NULL DEFAULT '', UNIQUE (reader_hostgroup))"],
            Assert.Single(rows.Values));

        Assert.StartsWith("CREATE TABLE runtime_mysql_servers (\n    hostgroup_id INT", admin.Rows("SHOW CREATE TABLE main.runtime_mysql_servers").Values[0][1], StringComparison.Ordinal);
        Assert.StartsWith("CREATE TABLE mysql_servers (", admin.Rows("show create table disk.mysql_servers").Values[0][1], StringComparison.Ordinal);
        Assert.StartsWith("CREATE TABLE stats_mysql_connection_pool (", admin.Rows("SHOW CREATE TABLE stats_mysql_connection_pool").Values[0][1], StringComparison.Ordinal);
        Assert.Contains("doesn't exist", admin.Error("SHOW CREATE TABLE nope").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_fields_describes_columns()
    {
        using var admin = new AdminHarness();
        var rows = admin.Rows("SHOW FIELDS FROM proxysql_servers");
        Assert.Equal(["Field", "Type", "Null", "Key", "Default", "Extra"], rows.Columns);
        AdminAssert.Row(["hostname", "VARCHAR", "NO", "PRI", null, ""], rows.Values[0]);
        AdminAssert.Row(["port", "INT", "NO", "PRI", "6032", ""], rows.Values[1]);
    }

    [Fact]
    public void Show_variables_forms()
    {
        using var admin = new AdminHarness();
        var threads = admin.Rows("SHOW VARIABLES LIKE 'mysql-threads'");
        Assert.Equal(["Variable_name", "Value"], threads.Columns);
        AdminAssert.Row(["mysql-threads", "4"], Assert.Single(threads.Values));
        AdminAssert.Row(["mysql-threads", "4"], Assert.Single(admin.Rows("SHOW GLOBAL VARIABLES WHERE Variable_name = 'mysql-threads'").Values));
        Assert.All(admin.Rows("SHOW MYSQL VARIABLES").Values, r => Assert.StartsWith("mysql-", r[0], StringComparison.Ordinal));
        Assert.All(admin.Rows("SHOW ADMIN VARIABLES").Values, r => Assert.StartsWith("admin-", r[0], StringComparison.Ordinal));
        Assert.True(admin.Rows("SHOW VARIABLES").Values.Count > 10);
    }

    [Fact]
    public void Show_mysql_servers_and_users()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (1, 'db'); INSERT INTO mysql_users (username) VALUES ('u')");
        Assert.Equal("db", admin.Rows("SHOW MYSQL SERVERS").Values.Single()[1]);
        Assert.Equal("u", admin.Rows("SHOW MYSQL USERS").Values.Single()[0]);
    }
}
