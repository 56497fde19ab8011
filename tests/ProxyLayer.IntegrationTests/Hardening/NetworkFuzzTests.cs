using System.Globalization;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.NetFuzz.Fuzzing;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// The network fuzzer of scripts/fuzz.sh, briefly: malformed traffic on both ports of a running proxy, then a normal
/// client is served, the canary row written before is intact, and nothing is left in login or in a session.
/// PROXYLAYER_FUZZ_SECONDS (default 15) makes it longer.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class NetworkFuzzTests(MariaDbFixture fixture, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task Malformed_traffic_on_both_ports_breaks_nothing()
    {
        var seconds = int.Parse(Environment.GetEnvironmentVariable("PROXYLAYER_FUZZ_SECONDS") ?? "15", CultureInfo.InvariantCulture);
        await using var proxy = await AdminProxy.StartAsync(fixture.Server, output, [new("mysql-connect_timeout_client", "2000")]);
        var mysql = new FuzzTarget("mysql", proxy.MySqlEndpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        var admin = new FuzzTarget("admin", proxy.AdminEndpoint, "radmin", "radmin");
        var health = new HealthCheck(mysql, admin, "testdb.netfuzz_canary");
        await health.WriteCanaryAsync(CancellationToken.None);
        var fuzzer = new NetworkFuzzer([mysql, admin], seed: 15);

        var run = fuzzer.RunAsync(TimeSpan.FromSeconds(seconds), concurrency: 16, CancellationToken.None);
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))) != run)
            output.WriteLine($"{fuzzer.Counters}; health: {await health.RunAsync(CancellationToken.None) ?? "ok"}");
        await run;

        output.WriteLine($"done: {fuzzer.Counters}");
        Assert.Null(await health.RunAsync(CancellationToken.None));
        Assert.Equal(0, health.Failures);
        Assert.True(fuzzer.Counters.Connections > 100, $"only {fuzzer.Counters.Connections} connections were made");
        Assert.True(fuzzer.Counters.ErrorsReceived > 0 && fuzzer.Counters.LoginsOk > 0, fuzzer.Counters.ToString());
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(
                proxy.Host.MySqlLogins.Counters.InLogin == 0 && proxy.Host.AdminLogins.Counters.InLogin == 0 && proxy.Host.Sessions.Count == 0),
            TimeSpan.FromSeconds(10)),
            $"left behind: {proxy.Host.MySqlLogins.Counters.InLogin} + {proxy.Host.AdminLogins.Counters.InLogin} in login, {proxy.Host.Sessions.Count} sessions");
    }

    /// <summary>Found by scripts/fuzz.sh: a NUL byte in an admin statement hung it, and every admin statement after it.</summary>
    [Fact]
    public async Task An_admin_statement_with_a_NUL_byte_is_refused_and_the_admin_interface_keeps_answering()
    {
        await using var proxy = await AdminProxy.StartAsync(fixture.Server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.AdminEndpoint, "radmin", "radmin");

        await client.SendQueryAsync("SELECT 1\0garbage");
        var reply = await client.ReadPacketAsync(TimeSpan.FromSeconds(5));

        Assert.True(reply.IsError, reply.Describe());
        Assert.Contains("NUL", reply.Error.Message, StringComparison.Ordinal);
        var next = await proxy.AdminAsync("SELECT COUNT(*) FROM mysql_users").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(next.Succeeded, next.StandardError);
    }
}
