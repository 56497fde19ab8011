using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Backends;

public class ServerLatencyTests
{
    [Fact]
    public void Ping_latency_is_the_average_of_the_last_three_pings()
    {
        var server = new BackendServer("db1", 3306);
        Assert.Equal(0, server.PingLatencyUs);

        server.RecordPingLatency(300);
        Assert.Equal(300, server.PingLatencyUs);
        server.RecordPingLatency(600);
        server.RecordPingLatency(900);
        Assert.Equal(600, server.PingLatencyUs);
        server.RecordPingLatency(3_000); // the 300 µs ping falls out
        Assert.Equal(1_500, server.PingLatencyUs);
    }

    [Fact]
    public void A_server_slower_than_its_max_latency_is_not_chosen_while_another_can_serve()
    {
        var fast = Member("fast", maxLatencyMs: 5, pingUs: 800);
        var slow = Member("slow", maxLatencyMs: 5, pingUs: 7_000);
        var hostgroup = new HostgroupSnapshot(20, [fast, slow]);

        for (var i = 0; i < 200; i++)
            Assert.Same(fast, BackendConnectionProvider.PickServer(hostgroup, Settings(), Environment.TickCount64));
    }

    [Fact]
    public void Without_its_own_limit_a_server_is_held_to_default_max_latency_ms()
    {
        var fast = Member("fast", maxLatencyMs: 0, pingUs: 800);
        var slow = Member("slow", maxLatencyMs: 0, pingUs: 1_500_000); // over the default 1000 ms
        var hostgroup = new HostgroupSnapshot(20, [fast, slow]);

        var picked = Enumerable.Range(0, 200).Select(_ => BackendConnectionProvider.PickServer(hostgroup, Settings(), Environment.TickCount64)).ToHashSet();
        Assert.Equal([fast], picked);

        var lenient = Settings(("mysql-default_max_latency_ms", "2000"));
        picked = Enumerable.Range(0, 400).Select(_ => BackendConnectionProvider.PickServer(hostgroup, lenient, Environment.TickCount64)).ToHashSet();
        Assert.Equal(2, picked.Count);
    }

    [Fact]
    public void When_every_server_is_too_slow_one_still_serves()
    {
        var slow = Member("slow", maxLatencyMs: 1, pingUs: 5_000);
        var hostgroup = new HostgroupSnapshot(20, [slow]);

        Assert.Same(slow, BackendConnectionProvider.PickServer(hostgroup, Settings(), Environment.TickCount64));
    }

    private static HostgroupMember Member(string host, int maxLatencyMs, long pingUs)
    {
        var server = new BackendServer(host, 3306);
        for (var i = 0; i < 3; i++)
            server.RecordPingLatency(pingUs);
        return new HostgroupMember(server, new ServerConfig { HostgroupId = 20, Hostname = host, MaxLatencyMs = maxLatencyMs });
    }

    private static MySqlVariables Settings(params (string Name, string Value)[] overrides)
    {
        var variables = new Dictionary<string, string>();
        foreach (var (name, value) in overrides)
            variables[name] = value;
        var parsed = MySqlVariables.Parse(variables);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        return parsed.Value!;
    }
}
