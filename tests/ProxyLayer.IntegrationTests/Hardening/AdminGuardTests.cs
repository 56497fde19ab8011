using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// The admin interface is not a SQLite shell: through the stock client and MySqlConnector on a running proxy, every
/// statement that would reach beyond ProxySQL's tables is refused by name, no file appears outside the data
/// directory, and a DBA's usual script still runs.
/// </summary>
public sealed class AdminGuardTests : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly MariaDbServer _backend;
    private readonly ITestOutputHelper _output;
    private readonly AdminHardeningRig _rig = new();

    public AdminGuardTests(MariaDbFixture fixture, ITestOutputHelper output)
    {
        _backend = fixture.Server;
        _output = output;
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Every_statement_beyond_the_admin_tables_is_refused_with_1142_naming_it()
    {
        await using var proxy = await _rig.StartAsync(_output);
        var outside = _rig.Outside;
        (string Sql, string Named)[] refused =
        [
            ($"ATTACH DATABASE '{outside}/attached.db' AS x", $"'{outside}/attached.db'"),
            ("ATTACH DATABASE 'relative.db' AS x", "'relative.db'"),
            ("DETACH DATABASE disk", "DETACH disk"),
            ($"VACUUM INTO '{outside}/copy.db'", $"'{outside}/copy.db'"),
            ($"VACUUM disk INTO '{outside}/disk-copy.db'", $"'{outside}/disk-copy.db'"),
            ("VACUUM", "VACUUM"),
            ("PRAGMA writable_schema=1", "PRAGMA writable_schema=1"),
            ("PRAGMA journal_mode=OFF", "PRAGMA journal_mode=OFF"),
            ("SELECT load_extension('/usr/lib/x86_64-linux-gnu/libz.so.1')", "load_extension()"),
            ("CREATE TABLE stolen AS SELECT * FROM mysql_users", "CREATE TABLE stolen"),
            ("CREATE VIEW v AS SELECT username, password FROM mysql_users", "CREATE VIEW v"),
            ("CREATE TRIGGER t AFTER INSERT ON mysql_users BEGIN DELETE FROM mysql_servers; END", "CREATE TRIGGER t"),
            ("CREATE INDEX i ON mysql_users (comment)", "CREATE INDEX i"),
            ("DROP TABLE mysql_users", "DROP TABLE mysql_users"),
            ("ALTER TABLE mysql_servers ADD COLUMN x INT", "ALTER TABLE mysql_servers"),
            ("SAVEPOINT s", "SAVEPOINT"),
            ($"SAVE CONFIG TO FILE {outside}/proxysql.cnf", $"{outside}/proxysql.cnf"),
            ($"SELECT CONFIG INTO OUTFILE {_rig.Datadir}/../outside/proxysql.cnf", "outside the data directory"),
        ];
        foreach (var (sql, named) in refused)
        {
            var result = await proxy.AdminAsync(sql + ";");
            Assert.False(result.Succeeded, sql);
            Assert.Contains("ERROR 1142 (42000)", result.StandardError, StringComparison.Ordinal);
            Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_rig.Outside));
        Assert.False(File.Exists("relative.db"));
        Assert.False(File.Exists(Path.Combine(_rig.Datadir, "relative.db")));
        // The schemas are as they were: disk is still attached and SAVE still writes it.
        var saved = await proxy.AdminAsync("INSERT INTO mysql_servers(hostgroup_id, hostname) VALUES (30, 'h'); SAVE MYSQL SERVERS TO DISK; " +
            "SELECT hostname FROM disk.mysql_servers; SELECT COUNT(*) FROM sqlite_master WHERE type IN ('view', 'trigger');");
        Assert.Equal("h\n0\n", saved.StandardOutput);
    }

    [Fact]
    public async Task A_connector_gets_the_refusal_as_a_mysql_error_and_keeps_its_session()
    {
        await using var proxy = await _rig.StartAsync(_output);
        await using var connection = new MySqlConnection($"Server=127.0.0.1;Port={proxy.AdminPort};User ID=radmin;Password=radmin;Pooling=false");
        await connection.OpenAsync();

        await using var create = new MySqlCommand("CREATE VIEW v AS SELECT * FROM mysql_users", connection);
        var error = await Assert.ThrowsAsync<MySqlException>(() => create.ExecuteNonQueryAsync());
        Assert.Equal(1142, error.Number);
        Assert.Equal("42000", error.SqlState);
        Assert.Contains("CREATE VIEW v", error.Message, StringComparison.Ordinal);

        await using var attach = new MySqlCommand($"ATTACH '{_rig.Outside}/x.db' AS x", connection);
        Assert.Equal(1142, (await Assert.ThrowsAsync<MySqlException>(() => attach.ExecuteNonQueryAsync())).Number);

        await using var count = new MySqlCommand("SELECT COUNT(*) FROM global_variables", connection);
        Assert.True(Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 100);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_rig.Outside));
    }

    [Fact]
    public async Task A_dbas_usual_script_still_runs_and_clients_follow_it()
    {
        await using var proxy = await _rig.StartAsync(_output);
        var seed = await proxy.AdminAsync(AdminHardeningRig.Seed(_backend.Port));
        Assert.True(seed.Succeeded, seed.StandardError);

        var script = await proxy.AdminAsync("""
            UPDATE mysql_servers SET weight = 100 WHERE hostgroup_id = 20;
            REPLACE INTO mysql_replication_hostgroups (writer_hostgroup, reader_hostgroup, comment) VALUES (10, 20, 'cluster1');
            DELETE FROM mysql_replication_hostgroups;
            SET mysql-max_connections = 1000;
            LOAD MYSQL SERVERS TO RUNTIME; LOAD MYSQL VARIABLES TO RUNTIME; SAVE MYSQL VARIABLES TO DISK;
            SELECT u.username, s.hostname FROM mysql_users u JOIN runtime_mysql_servers s ON s.hostgroup_id = u.default_hostgroup;
            SELECT COUNT(*) FROM stats_mysql_query_digest;
            SHOW TABLES LIKE 'mysql_users';
            SHOW CREATE TABLE mysql_users;
            PRAGMA table_info(mysql_users);
            SELECT name FROM pragma_table_info('mysql_servers') WHERE name = 'weight';
            SAVE CONFIG TO FILE backup.cnf;
            """);
        Assert.True(script.Succeeded, script.StandardError);
        Assert.Contains($"{RigCredentials.AppUser}\t127.0.0.1\n", script.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mysql_users\n", script.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE mysql_users", script.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("weight\n", script.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_rig.Datadir, "backup.cnf")));

        var served = await proxy.MySqlAsync("SELECT 42");
        Assert.Equal("42\n", served.StandardOutput);
    }
}
