using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// The process list shows the statement a session is running (read from another thread out of the session's pooled
/// text buffer), and nothing once it is done.
/// </summary>
public sealed class RunningStatementTests(MariaDbFixture fixture, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task The_running_statement_is_shown_while_it_runs_and_cleared_after()
    {
        await using var proxy = ProxyUnderTest.StartFor(fixture.Server, output);
        await using var connection = new MySqlConnection(proxy.ConnectionString());
        await connection.OpenAsync();
        const string statement = "SELECT SLEEP(1.5), 'running ✓ marker'";

        await using var command = new MySqlCommand(statement, connection);
        var running = command.ExecuteScalarAsync();
        Assert.True(await Scratch.EventuallyAsync(
            () => Task.FromResult(proxy.Host.Sessions.All.Any(session => session.CurrentQuery == statement)), TimeSpan.FromSeconds(5)),
            "the statement never showed in the process list");
        await running;

        // The client can read the answer a moment before the session has finished the statement.
        var session = Assert.Single(proxy.Host.Sessions.All);
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(session.CurrentQuery is null), TimeSpan.FromSeconds(5)),
            "the finished statement stayed in the process list");
        // The next statement replaces the text in the same pooled buffer.
        await using var next = new MySqlCommand("SELECT 2", connection);
        Assert.Equal(2L, Convert.ToInt64(await next.ExecuteScalarAsync()));
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(session.CurrentQuery is null), TimeSpan.FromSeconds(5)));
    }
}
