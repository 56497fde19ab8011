using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Monitor;

namespace ProxyLayer.Tests.Monitor;

/// <summary>
/// A runtime, a monitor on virtual time and a scripted probe. Check loops run on the thread pool, so the harness
/// advances time in small steps and lets the pool catch up between them.
/// </summary>
internal sealed class MonitorHarness : IAsyncDisposable
{
    public const int Writer = 10;
    public const int Reader = 20;

    /// <summary>Short, distinct intervals so each test runs a few virtual seconds.</summary>
    public static readonly ImmutableDictionary<string, string> FastVariables = new Dictionary<string, string>
    {
        ["mysql-monitor_connect_interval"] = "60000",
        ["mysql-monitor_ping_interval"] = "1000",
        ["mysql-monitor_ping_timeout"] = "300",
        ["mysql-monitor_ping_max_failures"] = "3",
        ["mysql-monitor_read_only_interval"] = "1000",
        ["mysql-monitor_read_only_timeout"] = "300",
        ["mysql-monitor_read_only_max_timeout_count"] = "3",
        ["mysql-monitor_replication_lag_interval"] = "1000",
        ["mysql-monitor_replication_lag_timeout"] = "300",
        ["mysql-monitor_replication_lag_count"] = "2",
        ["mysql-shun_recovery_time_sec"] = "2",
    }.ToImmutableDictionary();

    public MonitorHarness()
    {
        Probe = new FakeProbe(Time);
        Runtime = new RuntimeConfigManager(Registry, NullLogger<RuntimeConfigManager>.Instance);
        Monitor = new MonitorService(Runtime, Registry, Demand, Probe, Time, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public FakeProbe Probe { get; }
    public BackendServerRegistry Registry { get; } = new();
    public RuntimeConfigManager Runtime { get; }
    public HostgroupDemand Demand { get; } = new();
    public MonitorService Monitor { get; }

    public static ServerConfig Server(int hostgroup, string host, int maxReplicationLag = 0) =>
        new() { HostgroupId = hostgroup, Hostname = host, MaxReplicationLag = maxReplicationLag };

    public static ReplicationHostgroupConfig Pair { get; } = new() { WriterHostgroup = Writer, ReaderHostgroup = Reader };

    public void Load(IEnumerable<ServerConfig> servers, bool replicationPair = true, params (string Name, string Value)[] variables)
    {
        var all = FastVariables.SetItems(variables.Select(v => KeyValuePair.Create(v.Name, v.Value)));
        var config = ProxyConfig.Empty with
        {
            Servers = [.. servers],
            ReplicationHostgroups = replicationPair ? [Pair] : [],
            Variables = ProxyConfig.Empty.Variables.AddRange(all),
        };
        var result = Runtime.Apply(config);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    /// <summary>Starts the monitor and waits until every server had its first checks.</summary>
    public async Task StartAsync()
    {
        await Monitor.StartAsync();
        // Every loop's first check runs at the start time; later ones are then due at exact multiples of their interval.
        var targets = MonitorTargets.From(Runtime.Snapshot.Config);
        var expected = targets.Monitored.SelectMany(s => Enum.GetValues<CheckKind>().Where(k => targets.Applies(s, k)).Select(k => (k, s.Host))).ToList();
        await EventuallyAsync(() => expected.All(e => Probe.Count(e.k, e.Host) > 0), "first checks");
        await SettleAsync();
    }

    public async Task AdvanceAsync(TimeSpan by, int stepMs = 50)
    {
        var step = TimeSpan.FromMilliseconds(stepMs);
        for (var passed = TimeSpan.Zero; passed < by; passed += step)
        {
            Time.Advance(by - passed < step ? by - passed : step);
            await SettleAsync();
        }
    }

    public Task AdvanceAsync(int milliseconds, int stepMs = 50) => AdvanceAsync(TimeSpan.FromMilliseconds(milliseconds), stepMs);

    /// <summary>Gives loops woken on the thread pool a moment to run (a few ms: CI machines are small and busy).</summary>
    public static Task SettleAsync() => Task.Delay(5);

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("timed out waiting for " + what);
            await Task.Delay(2);
        }
    }

    public ServerConfig? Entry(int hostgroup, string host) =>
        Runtime.Snapshot.Config.Servers.FirstOrDefault(s => s.HostgroupId == hostgroup && s.Hostname == host);

    public IReadOnlyList<int> HostgroupsOf(string host) =>
        [.. Runtime.Snapshot.Config.Servers.Where(s => s.Hostname == host).Select(s => s.HostgroupId).Order()];

    public async ValueTask DisposeAsync() => await Monitor.DisposeAsync();
}
