using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.FastForward;

/// <summary>
/// fast_forward=1 users against real servers: db001 is hostgroup 10 (the users' default), db002 hostgroup 20, and a
/// rule sends every SELECT to 20. The fast_forward user must never see that rule.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class FastForwardTests : IClassFixture<SecondServerFixture>
{
    private const string FastUser = "ffuser";
    private const string FastPassword = "ffpass";
    private readonly MariaDbServer _writer;
    private readonly MariaDbServer _reader;
    private readonly ITestOutputHelper _output;

    public FastForwardTests(MariaDbFixture writer, SecondServerFixture reader, ITestOutputHelper output)
    {
        _writer = writer.Server;
        _reader = reader.Server;
        _output = output;
    }

    private async Task<ProxyUnderTest> StartAsync(IEnumerable<KeyValuePair<string, string>>? variables = null, int? writerPort = null)
    {
        await Scratch.CreateUserAsync(_writer, FastUser, FastPassword);
        await Scratch.CreateUserAsync(_reader, FastUser, FastPassword);
        var config = ProxyUnderTest.ConfigFor(writerPort ?? _writer.Port, variables,
            [ProxyUnderTest.User(FastUser, FastPassword) with { FastForward = true }]);
        return ProxyUnderTest.Start(config with
        {
            Servers = [.. config.Servers, new ServerConfig { HostgroupId = 20, Hostname = "127.0.0.1", Port = _reader.Port }],
            QueryRules = [new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 20, Apply = true }],
        }, _output);
    }

    private static Task<MySqlConnection> OpenFastAsync(ProxyUnderTest proxy, Action<MySqlConnectionStringBuilder>? configure = null) =>
        OpenAsync(proxy.ConnectionString(FastUser, FastPassword, "testdb", configure));

    private static async Task<MySqlConnection> OpenAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> ScalarAsync(MySqlConnection connection, string sql) =>
        Convert.ToInt64(await new MySqlCommand(sql, connection).ExecuteScalarAsync(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_statement_goes_to_the_default_hostgroup_on_one_connection_whatever_the_rules_say()
    {
        await using var proxy = await StartAsync();
        await using (var routed = await proxy.OpenAsync())
            Assert.Equal(_reader.ServerId, await ScalarAsync(routed, "SELECT @@server_id")); // the rule works for others

        await using var fast = await OpenFastAsync(proxy);
        var connectionId = await ScalarAsync(fast, "SELECT CONNECTION_ID()");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(_writer.ServerId, await ScalarAsync(fast, "SELECT @@server_id"));
            Assert.Equal(connectionId, await ScalarAsync(fast, "SELECT CONNECTION_ID()"));
        }
        Assert.Equal(_writer.ExpectedHostname, (string?)await new MySqlCommand("SELECT @@hostname", fast).ExecuteScalarAsync());

        // Session state lives on the server, untouched: a user variable needs no pinning to survive.
        await new MySqlCommand("SET @kept = 41", fast).ExecuteNonQueryAsync();
        Assert.Equal(42L, await ScalarAsync(fast, "SELECT @kept + 1"));

        var server = proxy.Host.Servers.All.Single(s => s.Port == _writer.Port);
        Assert.True(server.BytesSent > 0 && server.BytesReceived > 0, $"sent {server.BytesSent}, received {server.BytesReceived}");
    }

    [Fact]
    public async Task Prepared_statements_run_through_the_relay()
    {
        await using var proxy = await StartAsync();
        await using var fast = await OpenFastAsync(proxy, b => b.IgnorePrepare = false);
        var table = await Scratch.CreateTableAsync(_writer, "ffps", "id INT PRIMARY KEY, name VARCHAR(20)");

        await using (var insert = new MySqlCommand($"INSERT INTO {table} VALUES (@id, @name)", fast))
        {
            insert.Parameters.Add("@id", MySqlDbType.Int32);
            insert.Parameters.Add("@name", MySqlDbType.VarChar);
            await insert.PrepareAsync();
            for (var id = 1; id <= 20; id++)
            {
                insert.Parameters["@id"].Value = id;
                insert.Parameters["@name"].Value = $"row {id}";
                Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            }
        }

        await using var select = new MySqlCommand($"SELECT name, @@server_id FROM {table} WHERE id = @id", fast);
        select.Parameters.Add("@id", MySqlDbType.Int32);
        await select.PrepareAsync();
        select.Parameters["@id"].Value = 17;
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("row 17", reader.GetString(0));
        Assert.Equal(_writer.ServerId, reader.GetInt64(1));
    }

    [Fact]
    public async Task A_20_MB_blob_makes_the_round_trip_intact()
    {
        await _writer.ExecuteAsync("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
        await using var proxy = await StartAsync();
        var table = await Scratch.CreateTableAsync(_writer, "ffblob", "id INT PRIMARY KEY, data LONGBLOB");
        var blob = new byte[20 * 1024 * 1024];
        new Random(20).NextBytes(blob);

        await using var fast = await OpenFastAsync(proxy);
        await using (var insert = new MySqlCommand($"INSERT INTO {table} VALUES (1, @data)", fast))
        {
            insert.Parameters.AddWithValue("@data", blob);
            await insert.ExecuteNonQueryAsync();
        }
        var read = (byte[])(await new MySqlCommand($"SELECT data FROM {table} WHERE id = 1", fast).ExecuteScalarAsync())!;

        Assert.Equal(blob.Length, read.Length);
        Assert.Equal(SHA256.HashData(blob), SHA256.HashData(read));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(blob)),
            (string?)await _writer.QueryScalarAsync($"SELECT UPPER(SHA2(data, 256)) FROM {table} WHERE id = 1"));
    }

    [Fact]
    public async Task The_mariadb_cli_works_through_it()
    {
        await using var proxy = await StartAsync();

        var result = await MariaDbCli.RunAsync(
        [
            .. proxy.CliArguments(FastUser, FastPassword, "testdb"), "--batch", "--skip-column-names",
            "-e", "SELECT @@server_id; SELECT DATABASE(); SHOW TABLES LIKE 'insert_test'",
        ]);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal([_writer.ServerId.ToString(CultureInfo.InvariantCulture), "testdb", "insert_test"],
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_backend_connection_closes_with_the_client_and_the_client_with_the_backend()
    {
        await using var proxy = await StartAsync();
        var server = proxy.Host.Servers.All.Single(s => s.Port == _writer.Port);

        var fast = await OpenFastAsync(proxy);
        var connectionId = await ScalarAsync(fast, "SELECT CONNECTION_ID()");
        Assert.Equal(1, server.OpenConnections);
        await fast.DisposeAsync();
        await WaitUntilAsync(async () => await BackendHasAsync(connectionId) == false && server.OpenConnections == 0,
            "the backend connection to close after the client left");
        Assert.Equal(0, server.IdleConnections); // never pooled

        await using var killed = await OpenFastAsync(proxy);
        var killedId = await ScalarAsync(killed, "SELECT CONNECTION_ID()");
        await _writer.ExecuteAsync($"KILL {killedId}");
        await WaitUntilAsync(() => Task.FromResult(server.OpenConnections == 0), "the proxy to drop the killed connection");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync(killed, "SELECT 1"));
        _output.WriteLine($"after KILL: {error.GetType().Name}: {error.Message}");
    }

    [Fact]
    public async Task A_client_that_logs_in_and_quits_costs_no_backend_connection()
    {
        await using var proxy = await StartAsync();
        var server = proxy.Host.Servers.All.Single(s => s.Port == _writer.Port);

        // A raw client: MySqlConnector sends a statement of its own right after login.
        await using (var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, FastUser, FastPassword))
        {
            await Task.Delay(200);
            Assert.Equal(0, server.ConnectOk);
            await client.WritePacketAsync(0, (byte[])[0x01]); // COM_QUIT
            Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        }
        Assert.Equal(0, server.ConnectOk);
    }

    [Fact]
    public async Task Change_user_goes_to_the_backend_which_authenticates_it()
    {
        await using var proxy = await StartAsync();
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, FastUser, FastPassword);
        await client.SendQueryAsync("SELECT CURRENT_USER()");
        Assert.StartsWith(FastUser + "@", (await client.ReadTextResultSetAsync())[0][0], StringComparison.Ordinal);

        // The server asks the client to answer its own nonce, so the relayed exchange works unchanged; the proxy's
        // users are not consulted (appuser is not fast_forward there, and the session stays relayed).
        var changed = await client.ChangeUserAsync(RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");
        Assert.True(changed.IsOk, changed.Describe());
        await client.SendQueryAsync("SELECT CURRENT_USER(), DATABASE(), @@server_id");
        var row = (await client.ReadTextResultSetAsync())[0];
        Assert.StartsWith(RigCredentials.AppUser + "@", row[0], StringComparison.Ordinal);
        Assert.Equal("testdb", row[1]);
        Assert.Equal(_writer.ServerId.ToString(CultureInfo.InvariantCulture), row[2]);

        var refused = await client.ChangeUserAsync(RigCredentials.AppUser, "wrong");
        Assert.Equal(1045, refused.Error.Code);
    }

    [Fact]
    public async Task An_unreachable_default_hostgroup_gives_the_same_error_as_the_normal_path()
    {
        var closedPort = PortAllocator.GetFreePort();
        await using var proxy = await StartAsync(
            // Without the monitor: its pings would shun the server between the two attempts, and a hostgroup with no
            // ONLINE server answers 9001 where one whose connects fail answers 9002.
            [new("mysql-connect_timeout_server_max", "1000"), new("mysql-connect_timeout_server", "200"), new("mysql-monitor_enabled", "false")],
            writerPort: closedPort);

        // MySqlConnector's first statement is part of OpenAsync, so that is where both fail.
        var normalError = await Assert.ThrowsAsync<MySqlException>(() => proxy.OpenAsync());
        var clock = Stopwatch.StartNew();
        var fastError = await Assert.ThrowsAsync<MySqlException>(() => OpenFastAsync(proxy));
        _output.WriteLine($"normal: {normalError.Number} {normalError.Message}; fast_forward: {fastError.Number} {fastError.Message} after {clock.ElapsedMilliseconds} ms");

        // Which of the two "could not reach the hostgroup" codes comes depends on how many connects fit in the
        // second (more than mysql-connect_retries_on_failure: 9002, else 9001); a test process whose thread pool is
        // short of threads for a moment (other test classes run alongside) once fitted only 5. Both paths must give
        // one of them, with the same text.
        Assert.Contains(normalError.Number, new[] { 9001, 9002 });
        Assert.Contains(fastError.Number, new[] { 9001, 9002 });
        Assert.Contains("hostgroup 10", normalError.Message, StringComparison.Ordinal);
        Assert.Contains("hostgroup 10", fastError.Message, StringComparison.Ordinal);
        Assert.Equal("HY000", fastError.SqlState);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"failed after {clock.ElapsedMilliseconds} ms");
    }

    private async Task<bool> BackendHasAsync(long connectionId) =>
        await Scratch.CountAsync(_writer, $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = {connectionId}") > 0;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
