using System.Diagnostics;
using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Fidelity;

/// <summary>What the server would answer, the client gets: at login, and for statements the proxy could only half parse.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class ServerAnswersTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Login_to_a_missing_database_gets_1049_at_once_on_a_cold_and_a_warm_pool()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        foreach (var pool in new[] { "cold", "warm" })
        {
            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<MySqlException>(() => proxy.OpenAsync(database: "no_such_db_here"));
            Assert.Equal(1049, error.Number);
            Assert.Contains("no_such_db_here", error.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{pool} pool: answered after {watch.Elapsed}");
            // Warms the pool for the second round: a connection exists in another schema.
            await using var connection = await proxy.OpenAsync(database: "testdb");
            Assert.Equal("testdb", await ClientSql.ScalarAsync(connection, "SELECT DATABASE()"));
        }
    }

    [Fact]
    public async Task Login_to_a_database_the_user_may_not_use_gets_1044()
    {
        await Scratch.CreateUserAsync(_server, "narrow_user", "narrow_pw");
        await _server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS forbidden_db");
        await using var proxy = ProxyUnderTest.StartFor(_server, output, extraUsers: [ProxyUnderTest.User("narrow_user", "narrow_pw")]);

        var watch = Stopwatch.StartNew();
        await using var connection = new MySqlConnection(proxy.ConnectionString("narrow_user", "narrow_pw", database: "forbidden_db"));
        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());
        Assert.Equal(1044, error.Number);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task Login_without_a_database_still_costs_no_backend_connection()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        Assert.Equal(0, proxy.Backend.OpenConnections);
    }

    [Theory]
    [InlineData("COMMIT AND CHAIN RELEASE", 1064)]
    [InlineData("ROLLBACK TO SAVEPOINT nowhere", 1305)]
    [InlineData("COMMIT WORK WORK", 1064)]
    public async Task Transaction_statements_the_proxy_cannot_fully_parse_get_the_servers_answer(string sql, int code)
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();

        var error = await Assert.ThrowsAsync<MySqlException>(() => ClientSql.ScalarAsync(connection, sql));
        Assert.Equal(code, error.Number);
        Assert.Equal(1L, Convert.ToInt64(await ClientSql.ScalarAsync(connection, "SELECT 1")));
    }

    [Theory]
    [InlineData("COMMIT")]
    [InlineData("rollback work;")]
    [InlineData("/* app */ COMMIT")]
    public async Task A_bare_commit_outside_a_transaction_is_still_answered_without_a_backend(string sql)
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        await client.SendQueryAsync(sql);
        var answer = await client.ReadPacketAsync();
        Assert.True(answer.IsOk, answer.Describe());
        Assert.Equal(0, proxy.Backend.OpenConnections);
    }

}
