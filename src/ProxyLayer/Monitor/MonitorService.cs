using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>
/// The monitor: one set of check loops per configured host:port, following the runtime configuration (servers added
/// and removed, intervals changed) and the backends' demand (a starved writer hostgroup speeds up read_only checks).
/// Checks run on the thread pool, each bounded by its timeout, so a hung server stalls only its own loops.
/// </summary>
internal sealed partial class MonitorService : IAsyncDisposable
{
    private readonly RuntimeConfigManager _runtime;
    private readonly HostgroupDemand _demand;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CheckCadence _cadence;
    private readonly CheckRunner _runner;
    private readonly WakeSignal _wake = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<ServerAddress, ServerChecks> _checks = [];
    private CancellationTokenSource? _running;

    public MonitorService(RuntimeConfigManager runtime, BackendServerRegistry servers, HostgroupDemand demand,
        IServerProbe probe, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _runtime = runtime;
        _demand = demand;
        _time = time;
        _logger = loggerFactory.CreateLogger<MonitorService>();
        Policy = new MonitorPolicy(runtime, servers, time, loggerFactory.CreateLogger<MonitorPolicy>());
        _cadence = new CheckCadence(runtime, demand, Policy);
        _runner = new CheckRunner(probe, _cadence, Policy, Logs, runtime, time, servers);
    }

    /// <summary>Check results for the admin <c>monitor</c> schema.</summary>
    public MonitorLogs Logs { get; } = new();

    public MonitorPolicy Policy { get; }

    /// <summary>Writer-fencing refusals: count and recent events (for stats and admin).</summary>
    public FencingLog Fencing => Policy.Fencing;

    /// <summary>The host:ports being checked now.</summary>
    public IReadOnlyCollection<ServerAddress> MonitoredServers
    {
        get
        {
            lock (_gate)
                return [.. _checks.Keys];
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_running is not null)
                throw new InvalidOperationException("the monitor is already running");
            _running = new CancellationTokenSource();
        }
        _runtime.Changed += OnConfigChanged;
        _demand.Starved += OnStarved;
        Reconcile(_runtime.Snapshot);
        LogStarted(MonitoredServers.Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        _runtime.Changed -= OnConfigChanged;
        _demand.Starved -= OnStarved;
        ServerChecks[] stopping;
        CancellationTokenSource? running;
        lock (_gate)
        {
            stopping = [.. _checks.Values];
            _checks.Clear();
            running = _running;
            _running = null;
        }
        if (running is null)
            return;
        await running.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(stopping.Select(s => s.StopAsync())).ConfigureAwait(false);
        running.Dispose();
        LogStopped();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void OnConfigChanged(RuntimeSnapshot snapshot)
    {
        Reconcile(snapshot);
        // Intervals, targets or statuses may have changed: let every sleeping loop recompute its next check.
        _wake.Wake();
    }

    private void OnStarved(int hostgroupId)
    {
        var config = _runtime.Snapshot.Config;
        if (config.ReplicationHostgroups.Any(p => p.WriterHostgroup == hostgroupId)
            || config.GaleraHostgroups.Any(c => c.Active && c.WriterHostgroup == hostgroupId))
        {
            LogStarved(hostgroupId);
            _wake.Wake();
        }
    }

    /// <summary>Starts loops for servers new to the configuration and stops those of servers gone from it.</summary>
    private void Reconcile(RuntimeSnapshot snapshot)
    {
        var wanted = snapshot.Config.Servers.Select(ServerAddress.Of).ToHashSet();
        List<ServerChecks> removed = [];
        lock (_gate)
        {
            if (_running is null)
                return;
            foreach (var (server, checks) in _checks.Where(p => !wanted.Contains(p.Key)).ToList())
            {
                _checks.Remove(server);
                removed.Add(checks);
            }
            foreach (var server in wanted.Where(s => !_checks.ContainsKey(s)))
            {
                var loops = Enum.GetValues<CheckKind>().Select(kind => new CheckLoop(server, kind, _cadence, _runner, _wake, _time));
                _checks[server] = ServerChecks.Start(server, loops, OnLoopFailed, _running.Token);
            }
        }
        if (removed.Count > 0)
        {
            Policy.Forget(removed.Select(r => r.Server));
            foreach (var checks in removed)
                _ = checks.StopAsync();
        }
    }

    private void OnLoopFailed(ServerAddress server, Exception error) => LogLoopFailed(server.ToString(), error);

    [LoggerMessage(Level = LogLevel.Information, Message = "monitor started: {Servers} server(s)")]
    private partial void LogStarted(int servers);

    [LoggerMessage(Level = LogLevel.Information, Message = "monitor stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Information, Message = "monitor: writer hostgroup {Hostgroup} has statements waiting for a server: read_only (or Galera) checks every 100ms until it has one")]
    private partial void LogStarved(int hostgroup);

    [LoggerMessage(Level = LogLevel.Error, Message = "monitor: a check loop of {Server} failed; its checks stop until the server is reconfigured")]
    private partial void LogLoopFailed(string server, Exception error);
}
