using System.Diagnostics;
using System.Globalization;
using System.Text;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// Misbehaving clients and failing backends. Each test checks the misbehaving session gets a proper ERR where the
/// protocol allows one, and that the proxy keeps serving another session afterwards.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class BadInputTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Garbage_instead_of_a_handshake_response_gets_a_handshake_error()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var client = await RawMySqlClient.ConnectAsync(proxy.Endpoint);
        var greeting = await client.ReadPacketAsync();
        Assert.Equal(10, greeting.Payload[0]);

        await client.WritePacketAsync(1, "\x01\x02garbage, not a handshake response"u8.ToArray());

        var reply = await client.ReadPacketAsync();
        Assert.True(reply.IsError, reply.Describe());
        Assert.Equal((1043, "08S01"), (reply.Error.Code, reply.Error.SqlState));
        Assert.True(await client.WaitForCloseAsync(SettleTimeout), "the proxy should close the connection after the error");
        await AssertSessionsEndAsync(proxy);
        await AssertServesAsync(proxy);
    }

    [Fact]
    public async Task Truncated_handshake_response_then_disconnect_ends_the_session()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using (var client = await RawMySqlClient.ConnectAsync(proxy.Endpoint))
        {
            await client.ReadPacketAsync();
            // header announces 100 bytes, 10 follow, then the client is gone
            await client.WriteRawAsync((byte[])[100, 0, 0, 1, .. new byte[10]]);
            client.Abort();
        }

        await AssertSessionsEndAsync(proxy);
        await AssertServesAsync(proxy);
    }

    [Fact]
    public async Task Truncated_command_then_disconnect_releases_the_backend_connection()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using (var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword))
        {
            await client.SendQueryAsync("SELECT 1"); // attaches a backend connection
            Assert.Equal("1", Assert.Single(await client.ReadTextResultSetAsync())[0]);
            await client.WriteRawAsync((byte[])[50, 0, 0, 0, 0x03, .. "SELE"u8]);
            client.Abort();
        }

        await AssertSessionsEndAsync(proxy);
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Backend.UsedConnections == 0), SettleTimeout),
            $"the session's backend connection is still in use: {proxy.Backend.OpenConnections} open, {proxy.Backend.IdleConnections} idle");
        await AssertServesAsync(proxy);
    }

    [Fact]
    public async Task Packet_larger_than_max_allowed_packet_gets_error_1153()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-max_allowed_packet", "1048576")]);
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);

        // The header announces 2 MB (over the 1 MB limit); only the start of the payload follows.
        await client.WriteRawAsync((byte[])[0x00, 0x00, 0x20, 0x00, 0x03, .. "SELECT '"u8, .. new byte[4096]]);

        var reply = await client.ReadPacketAsync(TimeSpan.FromSeconds(5));
        Assert.True(reply.IsError, reply.Describe());
        Assert.Equal(1153, reply.Error.Code);
        Assert.Equal("08S01", reply.Error.SqlState);
        await AssertServesAsync(proxy);
    }

    [Fact]
    public async Task Unknown_command_gets_error_1047_and_the_session_stays_usable()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        await client.SendQueryAsync("SELECT 1");
        Assert.Equal("1", Assert.Single(await client.ReadTextResultSetAsync())[0]);

        await client.WritePacketAsync(0, (byte[])[0xEE, 1, 2, 3]);

        var reply = await client.ReadPacketAsync();
        Assert.True(reply.IsError, reply.Describe());
        Assert.Equal(1047, reply.Error.Code);
        Assert.Equal(1, reply.SequenceId);
        await client.SendQueryAsync("SELECT 2");
        Assert.Equal("2", Assert.Single(await client.ReadTextResultSetAsync())[0]);
    }

    [Fact]
    public async Task Client_gone_in_the_middle_of_a_large_result_leaves_no_busy_backend_connection()
    {
        const string user = "midresult";
        const string password = "midresult";
        await Scratch.CreateUserAsync(_server, user, password);
        await using var proxy = ProxyUnderTest.StartFor(_server, output, extraUsers: [ProxyUnderTest.User(user, password)]);
        await using var bystander = await proxy.OpenAsync();

        await using (var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, user, password, "testdb"))
        {
            // about 200 MB of rows; the client reads 1 MB and vanishes
            await client.SendQueryAsync("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_200000");
            await client.SkipBytesAsync(1024 * 1024);
            client.Abort();
        }

        Assert.Equal(42L, await ScalarAsync(bystander, "SELECT 42"));
        long busy = -1;
        long open = -1;
        var settled = await Scratch.EventuallyAsync(async () =>
        {
            busy = await Scratch.CountAsync(_server,
                $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '{user}' AND COMMAND <> 'Sleep'");
            open = await Scratch.BackendConnectionsAsync(_server, user);
            return busy == 0 && open <= proxy.Backend.IdleConnections && proxy.Host.Sessions.Count == 1;
        }, SettleTimeout);
        Assert.True(settled,
            $"backend still has {open} connections for {user} ({busy} busy); proxy has {proxy.Backend.IdleConnections} idle, " +
            $"{proxy.Host.Sessions.Count} sessions (1 expected: the bystander)");
        Assert.Equal(43L, await ScalarAsync(bystander, "SELECT 43"));
    }

    [Fact]
    public async Task Backend_killed_during_a_long_query_gives_the_client_an_error_not_a_hang()
    {
        await using var backend = await MariaDbServer.StartAsync("dbkill");
        await using var proxy = ProxyUnderTest.StartFor(backend, output, [new("mysql-connect_timeout_server_max", "1500")]);
        await using var connection = await proxy.OpenAsync(configure: b => b.DefaultCommandTimeout = 30);
        await using var command = new MySqlCommand("SELECT SLEEP(5)", connection);
        var query = command.ExecuteScalarAsync();
        Assert.True(await Scratch.EventuallyAsync(async () => await Scratch.CountAsync(backend,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(5)'") == 1, SettleTimeout),
            "the query never started on the backend");

        var killedAt = Stopwatch.StartNew();
        await backend.KillAsync();

        var error = await Assert.ThrowsAsync<MySqlException>(async () => await query.WaitAsync(TimeSpan.FromSeconds(10)));
        output.WriteLine($"client error {killedAt.ElapsedMilliseconds} ms after the kill: {error.Number} {error.Message}");
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(3), $"the error came {killedAt.Elapsed.TotalSeconds:0.0} s after the kill");

        // the proxy still answers: a new session gets a clear error about the missing backend, promptly
        var clock = Stopwatch.StartNew();
        var noBackend = await Assert.ThrowsAsync<MySqlException>(() => OpenAndQueryAsync(proxy, "SELECT 1"));
        Assert.Contains("hostgroup 10", noBackend.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Backend_lost_while_a_statement_runs_is_not_reported_as_not_run()
    {
        await using var backend = await MariaDbServer.StartAsync("dblost");
        await using var proxy = ProxyUnderTest.StartFor(backend, output, [new("mysql-connect_timeout_server_max", "1500")]);
        await using var connection = await proxy.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(); // no transparent retry inside a transaction
        await using var command = new MySqlCommand("SELECT SLEEP(5)", connection, transaction);
        var query = command.ExecuteScalarAsync();
        Assert.True(await Scratch.EventuallyAsync(async () => await Scratch.CountAsync(backend,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(5)'") == 1, SettleTimeout),
            "the query never started on the backend");

        await backend.KillAsync();

        var error = await Assert.ThrowsAsync<MySqlException>(async () => await query.WaitAsync(TimeSpan.FromSeconds(10)));
        output.WriteLine($"client error: {error.Number} {error.Message}");
        Assert.DoesNotContain("before the statement could run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_reachable_backend_gives_an_error_naming_the_hostgroup()
    {
        var closedPort = PortAllocator.GetFreePort();
        var config = ProxyUnderTest.ConfigFor(closedPort, [new("mysql-connect_timeout_server_max", "1500")]);
        await using var proxy = ProxyUnderTest.Start(config, output);

        // MySqlConnector's Open already sends a first command after logging in, so the error may come from Open.
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MySqlException>(() => OpenAndQueryAsync(proxy, "SELECT 1"));
        output.WriteLine($"error after {clock.ElapsedMilliseconds} ms: {error.Number} ({error.SqlState}) {error.Message}");

        Assert.Contains("hostgroup 10", error.Message, StringComparison.Ordinal);
        // the proxy keeps trying for mysql-connect_timeout_server_max (1500 ms), then gives up
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(1.5 + 3));

        var cli = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "-e", "select 1"]);
        Assert.False(cli.Succeeded);
        Assert.Contains("hostgroup 10", cli.StandardError, StringComparison.Ordinal);

        // the same proxy, pointed at a live server, serves again
        var applied = proxy.Host.Runtime.Apply(ProxyUnderTest.ConfigFor(_server.Port));
        Assert.True(applied.Succeeded, string.Join("; ", applied.Errors));
        await AssertServesAsync(proxy);
    }

    private static async Task AssertSessionsEndAsync(ProxyUnderTest proxy) =>
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Host.Sessions.Count == 0), SettleTimeout),
            $"{proxy.Host.Sessions.Count} sessions still open");

    private static async Task AssertServesAsync(ProxyUnderTest proxy)
    {
        await using var connection = await proxy.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
    }

    private static async Task<object?> OpenAndQueryAsync(ProxyUnderTest proxy, string sql)
    {
        await using var connection = await proxy.OpenAsync();
        return await ScalarAsync(connection, sql);
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is int ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value;
    }
}
