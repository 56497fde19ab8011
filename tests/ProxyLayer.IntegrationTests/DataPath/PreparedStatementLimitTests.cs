using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>More prepared statements than a backend connection may keep: they still all work, and the server holds few.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class PreparedStatementLimitTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Statements_beyond_max_stmts_per_connection_are_closed_and_prepared_again_when_used()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-max_stmts_per_connection", "3")]);
        await using var connection = await proxy.OpenAsync();
        var commands = new List<MySqlCommand>();
        for (var i = 0; i < 10; i++)
        {
            var command = new MySqlCommand($"SELECT ? + {i}", connection);
            command.Parameters.AddWithValue("@p", 100);
            await command.PrepareAsync();
            commands.Add(command);
        }

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < commands.Count; i++)
                Assert.Equal(100L + i, Convert.ToInt64(await commands[i].ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }

        // One backend connection served them all, and the proxy kept at most 3 of them open on it.
        Assert.Equal(1, proxy.Backend.OpenConnections);
        Assert.InRange(proxy.Backend.PreparedStatements, 1, 3);
        foreach (var command in commands)
            await command.DisposeAsync();
    }
}
