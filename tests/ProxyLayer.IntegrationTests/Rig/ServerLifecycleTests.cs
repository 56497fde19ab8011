using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

/// <summary>Each test owns its server because each one stops, kills or freezes it.</summary>
public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task Kill_then_restart_keeps_port_data_and_hostname()
    {
        await using var server = await MariaDbServer.StartAsync("lifecycle1");
        await server.ExecuteAsync("insert into testdb.insert_test select @@hostname, now(6)");
        var port = server.Port;

        await server.KillAsync();
        Assert.False(server.IsRunning);
        await Assert.ThrowsAsync<MySqlException>(() => server.QueryScalarAsync("SELECT 1"));

        await server.RestartAsync();
        Assert.Equal(port, server.Port);
        Assert.Equal(1L, Convert.ToInt64(await server.QueryScalarAsync("SELECT COUNT(*) FROM testdb.insert_test"), CultureInfo.InvariantCulture));
        Assert.Equal(server.ExpectedHostname, await server.QueryScalarAsync("SELECT @@hostname"));
    }

    [Fact]
    public async Task Stop_shuts_down_cleanly_and_restart_read_only_applies()
    {
        await using var server = await MariaDbServer.StartAsync("lifecycle2");

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.Contains("Shutdown complete", await File.ReadAllTextAsync(server.ErrorLogPath), StringComparison.Ordinal);

        await server.RestartAsync(readOnly: true);
        Assert.True(await server.IsReadOnlyAsync());
    }

    [Fact]
    public async Task Suspended_server_answers_nothing_until_resumed()
    {
        await using var server = await MariaDbServer.StartAsync("lifecycle3");
        var quickTimeout = new MySqlConnectionStringBuilder(server.AdminConnectionString) { ConnectionTimeout = 1 }.ConnectionString;

        server.Suspend();
        await using (var frozen = new MySqlConnection(quickTimeout))
            await Assert.ThrowsAsync<MySqlException>(() => frozen.OpenAsync());

        server.Resume();
        Assert.Equal(1L, Convert.ToInt64(await server.QueryScalarAsync("SELECT 1"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dispose_kills_the_process_and_removes_its_directory()
    {
        var server = await MariaDbServer.StartAsync("lifecycle4");
        var processId = server.ProcessId;
        Assert.NotNull(processId);

        await server.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{processId}"), "mariadbd should be gone");
        Assert.False(Directory.Exists(server.Directory));
    }
}
