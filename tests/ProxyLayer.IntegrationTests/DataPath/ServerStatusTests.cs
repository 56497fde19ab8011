using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>OFFLINE_HARD drops a server's connections with what was open on them; OFFLINE_SOFT lets running work finish.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class ServerStatusTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Offline_hard_ends_an_open_transaction_and_the_session_serves_again_once_the_server_is_back()
    {
        var table = await Scratch.CreateTableAsync(_server, "ofh", "id INT PRIMARY KEY");
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-connect_timeout_server_max", "1000")]);
        await using var connection = await proxy.OpenAsync();
        await new MySqlCommand("BEGIN", connection).ExecuteNonQueryAsync();
        await new MySqlCommand($"INSERT INTO {table} VALUES (1)", connection).ExecuteNonQueryAsync();

        Assert.True(proxy.Host.Runtime.Apply(WithStatus(proxy, ServerStatus.OfflineHard)).Succeeded);
        var error = await Assert.ThrowsAsync<MySqlException>(() => new MySqlCommand($"INSERT INTO {table} VALUES (2)", connection).ExecuteNonQueryAsync());

        Assert.Equal(9010, error.Number);
        Assert.Contains("transaction was rolled back", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));

        Assert.True(proxy.Host.Runtime.Apply(WithStatus(proxy, ServerStatus.Online)).Succeeded);
        await new MySqlCommand($"INSERT INTO {table} VALUES (3)", connection).ExecuteNonQueryAsync();
        Assert.Equal(3L, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
    }

    [Fact]
    public async Task Offline_soft_lets_an_open_transaction_commit_and_then_closes_its_connection()
    {
        var table = await Scratch.CreateTableAsync(_server, "ofs", "id INT PRIMARY KEY");
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-connect_timeout_server_max", "1000")]);
        await using var connection = await proxy.OpenAsync();
        await new MySqlCommand("BEGIN", connection).ExecuteNonQueryAsync();
        await new MySqlCommand($"INSERT INTO {table} VALUES (1)", connection).ExecuteNonQueryAsync();

        Assert.True(proxy.Host.Runtime.Apply(WithStatus(proxy, ServerStatus.OfflineSoft)).Succeeded);
        await new MySqlCommand($"INSERT INTO {table} VALUES (2)", connection).ExecuteNonQueryAsync();
        await new MySqlCommand("COMMIT", connection).ExecuteNonQueryAsync();

        Assert.Equal(3L, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
        // No new work goes to the server: the next statement finds no server, and the finished one's connection is closed.
        var error = await Assert.ThrowsAsync<MySqlException>(() => new MySqlCommand("SELECT 1", connection).ExecuteScalarAsync());
        Assert.Equal(9001, error.Number);
        Assert.Equal(0, proxy.Backend.OpenConnections);
    }

    private static ProxyConfig WithStatus(ProxyUnderTest proxy, ServerStatus status)
    {
        var config = proxy.Host.Runtime.Snapshot.Config;
        return config with { Servers = [.. config.Servers.Select(s => s with { Status = status })] };
    }
}
