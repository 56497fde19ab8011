using ProxyLayer.Admin;
using ProxyLayer.Admin.Guard;

namespace ProxyLayer.Tests.Admin.Guard;

/// <summary>Statements an admin types: what SQLite's authorizer refuses, and what ProxySQL users' scripts keep doing.</summary>
public sealed class UserSqlGuardTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxylayer-guard-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("ATTACH DATABASE '{dir}/x.db' AS x", "'{dir}/x.db' (ATTACH")]
    [InlineData("attach '{dir}/x.db' as x", "'{dir}/x.db' (ATTACH")]
    [InlineData("DETACH DATABASE disk", "DETACH disk")]
    [InlineData("VACUUM INTO '{dir}/copy.db'", "'{dir}/copy.db' (ATTACH, VACUUM and VACUUM INTO")]
    [InlineData("VACUUM disk INTO '{dir}/copy.db'", "'{dir}/copy.db' (ATTACH, VACUUM and VACUUM INTO")]
    [InlineData("VACUUM", "VACUUM")]
    [InlineData("PRAGMA writable_schema=1", "PRAGMA writable_schema=1")]
    [InlineData("PRAGMA writable_schema = ON", "PRAGMA writable_schema")]
    [InlineData("PRAGMA journal_mode=OFF", "PRAGMA journal_mode=OFF")]
    [InlineData("PRAGMA disk.synchronous=0", "PRAGMA synchronous=0")]
    [InlineData("PRAGMA optimize", "PRAGMA optimize")]
    [InlineData("CREATE TABLE stolen AS SELECT * FROM mysql_users", "CREATE TABLE stolen")]
    [InlineData("CREATE TABLE disk.t (a INT)", "CREATE TABLE t")]
    [InlineData("CREATE TEMP TABLE t (a INT)", "CREATE TABLE t")]
    [InlineData("CREATE VIEW v AS SELECT * FROM mysql_users", "CREATE VIEW v")]
    [InlineData("CREATE TRIGGER t AFTER INSERT ON mysql_users BEGIN DELETE FROM mysql_servers; END", "CREATE TRIGGER t")]
    [InlineData("CREATE INDEX i ON mysql_users (comment)", "CREATE INDEX i")]
    [InlineData("DROP TABLE mysql_users", "DROP TABLE mysql_users")]
    [InlineData("DROP TABLE IF EXISTS disk.mysql_servers", "DROP TABLE mysql_servers")]
    [InlineData("ALTER TABLE mysql_users ADD COLUMN x INT", "ALTER TABLE mysql_users")]
    [InlineData("ALTER TABLE mysql_users RENAME TO u", "ALTER TABLE mysql_users")]
    [InlineData("SELECT load_extension('/tmp/evil.so')", "load_extension()")]
    [InlineData("SELECT 1 FROM mysql_users WHERE load_extension('/tmp/evil.so') IS NULL", "load_extension()")]
    [InlineData("SAVEPOINT s", "SAVEPOINT")]
    [InlineData("ANALYZE", "CREATE TABLE sqlite_stat1")]
    [InlineData("REINDEX", "REINDEX")]
    public void Statements_beyond_the_admin_tables_are_refused_by_name(string sql, string named)
    {
        using var admin = new AdminHarness();
        sql = sql.Replace("{dir}", _directory, StringComparison.Ordinal);
        var error = admin.Error(sql);
        Assert.Equal((AdminRefusal.Code, "42000"), (error.Code, error.SqlState));
        Assert.Contains(named.Replace("{dir}", _directory, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
        // The refusal leaves the store as it was: the config schemas are still there, and usable.
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (1, 'a'); SAVE MYSQL SERVERS TO DISK");
        Assert.Equal("a", admin.Scalar("SELECT hostname FROM disk.mysql_servers"));
    }

    [Fact]
    public void A_refused_statement_in_a_script_stops_the_script()
    {
        using var admin = new AdminHarness();
        var results = admin.Executor.ExecuteAll("INSERT INTO proxysql_servers (hostname) VALUES ('a'); CREATE VIEW v AS SELECT 1; " +
            "INSERT INTO proxysql_servers (hostname) VALUES ('b')", admin.Session);
        Assert.Equal(AdminRefusal.Code, Assert.IsType<AdminResult.Error>(results[^1]).Code);
        Assert.Equal(["a"], admin.Column("SELECT hostname FROM proxysql_servers"));
    }

    [Theory]
    [InlineData("PRAGMA table_info(mysql_users)")]
    [InlineData("PRAGMA disk.table_info(mysql_servers)")]
    [InlineData("PRAGMA database_list")]
    [InlineData("PRAGMA index_list(mysql_users)")]
    [InlineData("PRAGMA writable_schema")]
    [InlineData("PRAGMA journal_mode")]
    [InlineData("PRAGMA user_version")]
    [InlineData("PRAGMA integrity_check")]
    [InlineData("SELECT name FROM pragma_table_info('mysql_users')")]
    [InlineData("SELECT name FROM sqlite_master WHERE type='table'")]
    [InlineData("SELECT * FROM disk.sqlite_master")]
    [InlineData("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3) SELECT i FROM n")]
    [InlineData("SELECT u.username, s.hostname FROM mysql_users u LEFT JOIN mysql_servers s ON s.hostgroup_id = u.default_hostgroup")]
    [InlineData("SELECT COUNT(*) FROM runtime_mysql_servers")]
    [InlineData("SELECT * FROM stats_mysql_query_digest ORDER BY sum_time DESC LIMIT 10")]
    [InlineData("SELECT * FROM stats.stats_mysql_global")]
    [InlineData("SELECT * FROM monitor.mysql_server_ping_log")]
    [InlineData("SHOW TABLES")]
    [InlineData("SHOW TABLES FROM disk")]
    [InlineData("SHOW DATABASES")]
    [InlineData("SHOW CREATE TABLE mysql_users")]
    [InlineData("SHOW COLUMNS FROM mysql_servers")]
    [InlineData("SHOW VARIABLES WHERE Variable_name LIKE 'mysql-%'")]
    [InlineData("SELECT sqlite_version(), datetime('now'), json_valid('{}'), printf('%d', 5)")]
    public void Reads_tools_send_still_answer(string sql)
    {
        using var admin = new AdminHarness();
        Assert.IsType<AdminResult.Rows>(admin.Run(sql));
    }

    [Fact]
    public void A_proxysql_users_script_still_runs()
    {
        using var admin = new AdminHarness();
        admin.Ok("""
            DELETE FROM mysql_servers WHERE hostgroup_id IN (10, 20);
            INSERT INTO mysql_servers (hostgroup_id, hostname, port, weight) VALUES (10, 'db1', 3306, 1), (20, 'db2', 3306, 1);
            REPLACE INTO mysql_servers (hostgroup_id, hostname, port, weight) VALUES (20, 'db2', 3306, 100);
            INSERT OR REPLACE INTO mysql_replication_hostgroups (writer_hostgroup, reader_hostgroup, comment) VALUES (10, 20, 'c');
            UPDATE mysql_servers SET max_connections = 50 WHERE hostname = 'db2';
            INSERT INTO mysql_users (username, password, default_hostgroup) VALUES ('app', 'secret', 10);
            UPDATE global_variables SET variable_value = '2000' WHERE variable_name = 'mysql-monitor_ping_interval';
            SET mysql-max_connections = 500;
            INSERT INTO mysql_query_rules (rule_id, active, match_digest, destination_hostgroup, apply) VALUES (1, 1, '^SELECT', 20, 1);
            INSERT INTO scheduler (id, interval_ms, filename) VALUES (1, 1000, '/bin/true');
            DELETE FROM scheduler;
            SAVE MYSQL SERVERS TO DISK; SAVE MYSQL USERS TO DISK; SAVE MYSQL QUERY RULES TO DISK; SAVE MYSQL VARIABLES TO DISK;
            LOAD MYSQL SERVERS FROM DISK; LOAD MYSQL USERS TO MEMORY;
            BEGIN; COMMIT
            """);
        Assert.Equal("100", admin.Scalar("SELECT weight FROM disk.mysql_servers WHERE hostname = 'db2'"));
        Assert.Equal("2000", admin.Scalar("SELECT variable_value FROM disk.global_variables WHERE variable_name = 'mysql-monitor_ping_interval'"));
    }

    [Fact]
    public void Extension_loading_is_off_even_for_the_proxys_own_sql()
    {
        using var admin = new AdminHarness();
        var error = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => admin.Store.Run(connection =>
            AdminStore.Execute(connection, "SELECT load_extension('/nonexistent/evil.so')")));
        Assert.Contains("not authorized", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_file_writes_stay_in_the_data_directory()
    {
        var datadir = Path.Combine(_directory, "data");
        var outside = Path.Combine(_directory, "outside.cnf");
        using var opened = AdminStore.Open(datadir, null, initial: false, reload: false).Store;
        using var admin = new AdminHarness(opened);

        Assert.Equal(AdminRefusal.Code, admin.Error($"SAVE CONFIG TO FILE {outside}").Code);
        Assert.Equal(AdminRefusal.Code, admin.Error($"SELECT CONFIG INTO OUTFILE '{datadir}/../outside.cnf'").Code);
        Assert.Equal(AdminRefusal.Code, admin.Error("SELECT CONFIG INTO OUTFILE '/etc/cron.d/proxylayer'").Code);
        Assert.False(File.Exists(outside));

        admin.Ok("SAVE CONFIG TO FILE backup.cnf");
        admin.Ok($"SELECT CONFIG INTO OUTFILE '{datadir}/copy.cnf'");
        Assert.True(File.Exists(Path.Combine(datadir, "backup.cnf")));
        Assert.True(File.Exists(Path.Combine(datadir, "copy.cnf")));
    }
}
