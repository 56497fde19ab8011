using System.Diagnostics;
using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Fidelity;

/// <summary>
/// Connection ids through the proxy are the proxy's: CONNECTION_ID() and KILL use them, and a KILL reaches whichever
/// backend connection serves the named session at that moment. A client that leaves mid-statement has it stopped.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class KillTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;


    [Fact]
    public async Task Connection_id_is_the_id_the_client_was_greeted_with()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();

        Assert.Equal((long)connection.ServerThread, Convert.ToInt64(await ClientSql.ScalarAsync(connection, "SELECT CONNECTION_ID()")));
        Assert.Equal((long)connection.ServerThread, Convert.ToInt64(await ClientSql.ScalarAsync(connection, "select connection_id() AS me;")));
    }

    [Fact]
    public async Task Kill_query_stops_the_other_sessions_statement_also_after_they_shared_a_backend_connection()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var victim = await proxy.OpenAsync();
        await using var killer = await proxy.OpenAsync();
        // Multiplexing: both sessions run on the same pooled backend connection, one after the other.
        for (var i = 0; i < 3; i++)
        {
            await ClientSql.ScalarAsync(victim, "SELECT 1");
            await ClientSql.ScalarAsync(killer, "SELECT 1");
        }
        // The id a client knows another by: the greeting's (what mysqltest's $mysql_thread_id and drivers report).
        var victimId = (long)victim.ServerThread;

        var watch = Stopwatch.StartNew();
        var sleeping = ClientSql.ScalarAsync(victim, "SELECT SLEEP(30)");
        await WaitUntilRunningAsync("SELECT SLEEP(30)");
        await using (var kill = new MySqlCommand($"KILL QUERY {victimId}", killer))
            await kill.ExecuteNonQueryAsync();

        var error = await Assert.ThrowsAsync<MySqlException>(() => sleeping.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1317, error.Number);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        // The killer's own session is untouched, and so is the victim's.
        Assert.Equal(2L, Convert.ToInt64(await ClientSql.ScalarAsync(killer, "SELECT 2")));
        Assert.Equal(3L, Convert.ToInt64(await ClientSql.ScalarAsync(victim, "SELECT 3")));
    }

    [Fact]
    public async Task Kill_query_ends_a_busy_statement_at_once()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var victim = await proxy.OpenAsync();
        await using var killer = await proxy.OpenAsync();
        var victimId = (long)victim.ServerThread;

        var running = ClientSql.ScalarAsync(victim, "SELECT BENCHMARK(100000000000, MD5('x'))");
        await WaitUntilRunningAsync("BENCHMARK(100000000000");
        await using (var kill = new MySqlCommand($"KILL QUERY {victimId}", killer))
            await kill.ExecuteNonQueryAsync();

        // MariaDB ends an interrupted BENCHMARK() quietly; without the KILL it would run for hours.
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3L, Convert.ToInt64(await ClientSql.ScalarAsync(victim, "SELECT 3")));
    }

    [Fact]
    public async Task Kill_connection_ends_the_other_session()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var victim = await proxy.OpenAsync();
        await using var killer = await proxy.OpenAsync();
        var victimId = (long)victim.ServerThread;
        await ClientSql.ScalarAsync(victim, "BEGIN");

        await using (var kill = new MySqlCommand($"KILL {victimId}", killer))
            await kill.ExecuteNonQueryAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => ClientSql.ScalarAsync(victim, "SELECT 1"));
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(!proxy.Host.Sessions.TryGet((uint)victimId, out _)), TimeSpan.FromSeconds(5)));
        Assert.Equal(2L, Convert.ToInt64(await ClientSql.ScalarAsync(killer, "SELECT 2")));
    }

    [Fact]
    public async Task Kill_of_an_unknown_id_or_another_users_session_is_refused_as_by_the_server()
    {
        await Scratch.CreateUserAsync(_server, "kill_other", "other_pw");
        await using var proxy = ProxyUnderTest.StartFor(_server, output, extraUsers: [ProxyUnderTest.User("kill_other", "other_pw")]);
        await using var mine = await proxy.OpenAsync();
        await using var other = new MySqlConnection(proxy.ConnectionString("kill_other", "other_pw"));
        await other.OpenAsync();

        var unknown = await Assert.ThrowsAsync<MySqlException>(() => ClientSql.ScalarAsync(mine, "KILL QUERY 987654"));
        Assert.Equal(1094, unknown.Number);
        var notOwner = await Assert.ThrowsAsync<MySqlException>(() => ClientSql.ScalarAsync(mine, $"KILL {other.ServerThread}"));
        Assert.Equal(1095, notOwner.Number);
        Assert.Equal(1L, Convert.ToInt64(await ClientSql.ScalarAsync(other, "SELECT 1")));
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_statement_has_its_lock_released_within_a_second()
    {
        var lockName = $"proxy_lock_{Guid.NewGuid():N}";
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        await client.SendQueryAsync($"SELECT GET_LOCK('{lockName}', 0), SLEEP(3600)");
        await WaitUntilRunningAsync("SLEEP(3600)");
        Assert.Equal(1L, await Scratch.CountAsync(_server, $"SELECT IS_USED_LOCK('{lockName}') IS NOT NULL"));

        var watch = Stopwatch.StartNew();
        await client.DisposeAsync(); // closes the socket while the statement runs
        var released = await Scratch.EventuallyAsync(
            async () => await Scratch.CountAsync(_server, $"SELECT IS_FREE_LOCK('{lockName}')") == 1, TimeSpan.FromSeconds(5));
        Assert.True(released, "the lock was still held 5 s after the client left");
        // The sweep looks every 200 ms at statements older than 200 ms; the margin is for a loaded test machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"released after {watch.Elapsed}");
        Assert.True(await Scratch.EventuallyAsync(async () => await Scratch.CountAsync(_server,
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(3600)%' AND INFO NOT LIKE '%PROCESSLIST%'") == 0,
            TimeSpan.FromSeconds(5)), "the statement still runs on the server");
    }

    private async Task WaitUntilRunningAsync(string text)
    {
        var like = text.Replace("'", "''", StringComparison.Ordinal);
        var running = await Scratch.EventuallyAsync(async () => await Scratch.CountAsync(_server,
            $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%{like}%' AND INFO NOT LIKE '%PROCESSLIST%'") > 0,
            TimeSpan.FromSeconds(5));
        Assert.True(running, $"'{text}' did not start on the server");
    }
}
