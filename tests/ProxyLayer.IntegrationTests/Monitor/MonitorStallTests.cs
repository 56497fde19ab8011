using System.Globalization;
using ProxyLayer.Config;
using ProxyLayer.Monitor;
using ProxyLayer.IntegrationTests.Fidelity;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Monitor;

/// <summary>
/// A server that stalls again and again makes the monitor's checks run out of time mid-query. Once, a timed-out
/// read_only check made MySqlConnector do synchronous I/O on a socket engine's thread, which then waited for itself:
/// every client socket on that engine froze, and the listener stopped accepting.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class MonitorStallTests(MariaDbFixture fixture, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task Checks_that_time_out_while_a_server_stalls_leave_every_client_socket_working()
    {
        var server = fixture.Server;
        var config = ProxyUnderTest.ConfigFor(server.Port,
        [
            new("mysql-monitor_username", RigCredentials.MonitorUser),
            new("mysql-monitor_password", RigCredentials.MonitorPassword),
            new("mysql-monitor_read_only_interval", "100"),
            new("mysql-monitor_read_only_timeout", "100"),
            new("mysql-monitor_ping_interval", "100"),
            new("mysql-monitor_ping_timeout", "100"),
            // the stalls must not take the only server away from the clients
            new("mysql-monitor_ping_max_failures", "1000"),
            new("mysql-monitor_read_only_max_timeout_count", "1000"),
        ]) with
        {
            ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = ProxyUnderTest.Hostgroup, ReaderHostgroup = 20 }],
        };
        await using var proxy = ProxyUnderTest.Start(config, output);
        await proxy.Host.StartMonitorAsync();

        // Connections made before the stalls land on every socket engine.
        var clients = new List<MySqlConnector.MySqlConnection>();
        for (var i = 0; i < 8; i++)
            clients.Add(await proxy.OpenAsync());
        try
        {
            for (var cycle = 0; cycle < 12; cycle++)
            {
                server.Suspend();
                await Task.Delay(150 + (cycle % 4) * 40);
                server.Resume();
                await Task.Delay(400);
            }

            var checks = proxy.Host.Monitor!.Logs[CheckKind.ReadOnly].ToArray();
            output.WriteLine($"read_only checks during the stalls: {checks.Length}, timed out: {checks.Count(c => c.Error?.StartsWith("timeout", StringComparison.Ordinal) == true)}");

            // A frozen engine never answers: give up waiting rather than hang the test run.
            var patience = TimeSpan.FromSeconds(20);
            foreach (var client in clients)
                Assert.Equal(1L, Convert.ToInt64(await ClientSql.ScalarAsync(client, "SELECT 1").WaitAsync(patience), CultureInfo.InvariantCulture));
            await using var fresh = await proxy.OpenAsync().WaitAsync(patience);
            Assert.Equal(1L, Convert.ToInt64(await ClientSql.ScalarAsync(fresh, "SELECT 1").WaitAsync(patience), CultureInfo.InvariantCulture));
        }
        finally
        {
            server.Resume();
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }
}
