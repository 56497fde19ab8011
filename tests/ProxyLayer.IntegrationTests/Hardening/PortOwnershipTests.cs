using System.Diagnostics;
using System.Net;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// One owner per port: a second proxy on the same ports fails at start-up naming the port and the process that holds
/// it, unless every instance opts in to sharing with -r/--reuseport.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class PortOwnershipTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private static string Binary => Path.Combine(AppContext.BaseDirectory, "proxylayer");

    [Fact]
    public async Task A_second_host_on_the_same_client_port_fails_naming_the_port_and_the_holder()
    {
        await using var first = ProxyUnderTest.StartFor(fixture.Server, output);
        await using var second = new ProxyHost(XunitLoggerProvider.CreateFactory(output));

        var error = Assert.Throws<ListenerBindException>(() => second.Start(ProxyUnderTest.ConfigFor(fixture.Server.Port), [first.Endpoint]));

        Assert.Contains($"port {first.Port} is already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains($"process {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        await using var client = await first.OpenAsync(); // the first keeps serving
    }

    [Fact]
    public async Task The_binary_stops_at_start_up_when_its_admin_port_is_taken()
    {
        await using var first = await AdminProxy.StartAsync(fixture.Server, output);
        using var directory = new TemporaryDirectory();
        var config = directory.Write("proxysql.cnf", $$"""
            admin_variables = { admin_credentials="admin:admin" mysql_ifaces="127.0.0.1:{{first.AdminEndpoint.Port}}" }
            mysql_variables = { interfaces="127.0.0.1:{{PortAllocator.GetFreePort()}}" }
            """);

        var result = await ProcessRunner.RunAsync(Binary, ["-f", "-M", "-c", config, "-D", directory.Path], null, TimeSpan.FromSeconds(60),
            CancellationToken.None);

        output.WriteLine(result.StandardOutput);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"admin: port {first.AdminEndpoint.Port} is already in use", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"held by process {Environment.ProcessId}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_reuseport_on_both_the_second_instance_starts_and_both_serve()
    {
        var config = ProxyUnderTest.ConfigFor(fixture.Server.Port);
        await using var first = new ProxyHost(XunitLoggerProvider.CreateFactory(output)) { ReusePort = true };
        first.Start(config, [new IPEndPoint(IPAddress.Loopback, 0)]);
        var port = first.MySqlEndpoints[0];
        await using var second = new ProxyHost(XunitLoggerProvider.CreateFactory(output)) { ReusePort = true };

        second.Start(config, [port]);

        // The kernel spreads connections over both listeners; every one is served, and both get some.
        for (var i = 0; i < 40; i++)
        {
            await using var client = await RawMySqlClient.LoginAsync(port, RigCredentials.AppUser, RigCredentials.AppPassword);
        }
        Assert.True(first.MySqlLogins.Counters.InLogin == 0 && second.MySqlLogins.Counters.InLogin == 0);
        Assert.True(first.Statistics.Globals.ClientConnectionsCreated > 0 && second.Statistics.Globals.ClientConnectionsCreated > 0,
            $"connections: {first.Statistics.Globals.ClientConnectionsCreated} and {second.Statistics.Globals.ClientConnectionsCreated}");
    }

    [Fact]
    public async Task The_binary_with_r_shares_the_port_of_an_instance_that_also_shares_it()
    {
        var config = ProxyUnderTest.ConfigFor(fixture.Server.Port);
        await using var first = new ProxyHost(XunitLoggerProvider.CreateFactory(output)) { ReusePort = true };
        first.Start(config, [new IPEndPoint(IPAddress.Loopback, 0)]);
        using var directory = new TemporaryDirectory();
        var configPath = directory.Write("proxysql.cnf", $$"""
            admin_variables = { admin_credentials="admin:admin" mysql_ifaces="127.0.0.1:{{PortAllocator.GetFreePort()}}" }
            mysql_variables = { interfaces="127.0.0.1:{{first.MySqlEndpoints[0].Port}}" }
            """);
        var startInfo = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-f", "-M", "-r", "-c", configPath, "-D", directory.Path])
            startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        try
        {
            var started = false;
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!started && await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                output.WriteLine(line);
                Assert.DoesNotContain("cannot start", line, StringComparison.Ordinal);
                started = line.Contains("started; SIGTERM", StringComparison.Ordinal);
            }
            Assert.True(started, "the second instance did not start");
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_load_moving_the_admin_interface_to_a_taken_port_fails_and_the_running_listener_stays()
    {
        await using var proxy = await AdminProxy.StartAsync(fixture.Server, output);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var before = proxy.AdminEndpoint;

        var load = await proxy.AdminAsync(
            $"UPDATE global_variables SET variable_value = '127.0.0.1:{takenPort}' WHERE variable_name = 'admin-mysql_ifaces'; " +
            "LOAD ADMIN VARIABLES TO RUNTIME;");

        output.WriteLine(load.StandardError);
        Assert.False(load.Succeeded);
        Assert.Contains($"port {takenPort} is already in use", load.StandardError, StringComparison.Ordinal);
        Assert.Contains($"process {Environment.ProcessId}", load.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, proxy.AdminEndpoint);
        var runtime = await proxy.AdminAsync("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'admin-mysql_ifaces'");
        Assert.True(runtime.Succeeded, runtime.StandardError);
        Assert.DoesNotContain(takenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), runtime.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_moving_the_admin_interface_to_a_free_port_moves_it()
    {
        await using var proxy = await AdminProxy.StartAsync(fixture.Server, output);
        var before = proxy.AdminEndpoint;
        var free = PortAllocator.GetFreePort();

        var load = await proxy.AdminAsync(
            $"UPDATE global_variables SET variable_value = '127.0.0.1:{free}' WHERE variable_name = 'admin-mysql_ifaces'; " +
            "LOAD ADMIN VARIABLES TO RUNTIME;");

        Assert.True(load.Succeeded, load.StandardError);
        Assert.Equal(free, Assert.Single(proxy.Host.AdminEndpoints).Port);
        Assert.True((await proxy.AdminAsync("SELECT 1")).Succeeded); // on the new port
        using var old = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => old.ConnectAsync(before));
    }
}
