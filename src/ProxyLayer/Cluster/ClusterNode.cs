using System.Collections.Immutable;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>
/// This node's part in a ProxySQL Cluster (spec §10): keeps the module checksums as loads happen, answers what peers
/// ask the admin interface, runs one <see cref="PeerMonitor"/> per row of <c>runtime_proxysql_servers</c> (restarted
/// on each LOAD PROXYSQL SERVERS TO RUNTIME), and applies the modules those loops decide to take.
/// </summary>
internal sealed partial class ClusterNode : IAdminClusterHooks, IAsyncDisposable
{
    private readonly RuntimeConfigManager _runtime;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Func<IReadOnlyList<IPEndPoint>> _adminEndpoints;
    private readonly Lock _peersGate = new();
    private readonly Dictionary<ClusterModule, SemaphoreSlim> _syncGates = ClusterModuleNames.All.ToDictionary(m => m, _ => new SemaphoreSlim(1, 1));
    private ImmutableDictionary<ProxysqlServerConfig, PeerMonitor> _peers = ImmutableDictionary<ProxysqlServerConfig, PeerMonitor>.Empty;
    private AdminStatementExecutor? _executor;
    private bool _disposed;
    private long _refusedSyncs;

    public ClusterNode(RuntimeConfigManager runtime, TimeProvider time, ILoggerFactory loggerFactory, Func<IReadOnlyList<IPEndPoint>> adminEndpoints)
    {
        _runtime = runtime;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterNode>();
        _adminEndpoints = adminEndpoints;
        Checksums = new ClusterChecksums(time);
        runtime.ServersUpdated += OnServersUpdated;
    }

    /// <summary>
    /// Whether this node runs its monitor (ProxySQL's <c>--no-monitor</c> clears it): sync algorithm 3 takes the
    /// peers' runtime_mysql_servers only without it. Until told otherwise, no monitor.
    /// </summary>
    public Func<bool> MonitorRunning { get; set; } = static () => false;

    /// <summary>Sent to peers with PROXYSQL CLUSTER_NODE_UUID; new at each start, as ProxySQL's.</summary>
    public string Uuid { get; } = Guid.NewGuid().ToString();

    public ClusterChecksums Checksums { get; }

    /// <summary>
    /// The config file's top-level <c>cluster_sync_interfaces</c> (ProxySQL reads it there only, at start; default
    /// false): when true the interface variables are part of the variables checksums and are taken from peers too.
    /// Set before the first load.
    /// </summary>
    public bool SyncInterfaces { get; set; }

    /// <summary>Syncs refused so far: rows not matching the peer's checksum, or a configuration the LOAD rejected.</summary>
    public long RefusedSyncs => Interlocked.Read(ref _refusedSyncs);

    public ClusterSettings Settings => ClusterSettings.From(_runtime.Snapshot);

    public long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public string AdminInterfaces => string.Join(";", _runtime.Snapshot.Admin.MysqlIfaces.Select(i => i.ToString()));

    /// <summary>Peers that announced themselves with PROXYSQL CLUSTER_NODE_UUID (stats_proxysql_servers_clients_status).</summary>
    internal ImmutableDictionary<string, (string Host, int Port, string Interfaces, long SeenAt)> Clients { get; private set; } =
        ImmutableDictionary<string, (string, int, string, long)>.Empty;

    public IReadOnlyList<PeerView> PeerViews => [.. Volatile.Read(ref _peers).Values.Select(p => p.View).OrderBy(v => v.Peer.Hostname, StringComparer.Ordinal).ThenBy(v => v.Peer.Port)];

    /// <summary>Gives the node the executor it applies synced modules through (the executor is built with this node as its hooks).</summary>
    public void Attach(AdminStatementExecutor executor) => _executor = executor;

    public void Loaded(SqliteConnection connection, AdminModule module, object? origin)
    {
        var previous = Checksums.Sources;
        var runtime = _runtime.Current;
        var load = ClusterLoadOrigin.Of(origin);
        var sources = new ClusterSources
        {
            Runtime = runtime,
            LoadedServers = module == AdminModule.MysqlServers || previous is null
                ? load?.LoadedServers ?? runtime.Servers
                : previous.LoadedServers,
            OtherServerTables = module == AdminModule.MysqlServers || previous is null
                ? SqliteClusterTables.OtherServerTables(connection)
                : previous.OtherServerTables,
            ProxysqlServers = SqliteClusterTables.ProxysqlServers(connection),
            SyncInterfaces = SyncInterfaces,
        };
        foreach (var clusterModule in ClusterChecksums.ModulesOf(module))
        {
            var recorded = Checksums.Record(clusterModule, sources, load?.For(clusterModule));
            LogChecksum(recorded.Module.Name(), recorded.Checksum, recorded.Version, recorded.Epoch);
        }
        if (module == AdminModule.ProxysqlServers)
            FollowPeers(sources.ProxysqlServers);
    }

    /// <summary>Starts a check loop for each new peer and stops those of removed ones.</summary>
    private void FollowPeers(ImmutableArray<ProxysqlServerConfig> peers)
    {
        var stopped = new List<PeerMonitor>();
        lock (_peersGate)
        {
            if (_disposed)
                return;
            var next = ImmutableDictionary.CreateBuilder<ProxysqlServerConfig, PeerMonitor>();
            foreach (var peer in peers)
            {
                if (_peers.TryGetValue(peer, out var running))
                    next[peer] = running;
                else
                    next[peer] = new PeerMonitor(peer, this, _loggerFactory.CreateLogger<PeerMonitor>());
            }
            stopped.AddRange(_peers.Where(p => !next.ContainsKey(p.Key)).Select(p => p.Value));
            Volatile.Write(ref _peers, next.ToImmutable());
        }
        foreach (var monitor in stopped)
            _ = monitor.DisposeAsync().AsTask();
    }

    /// <summary>This node's own row of proxysql_servers: same port as one of our admin listeners, on a local address.</summary>
    public bool IsSelf(ProxysqlServerConfig peer)
    {
        foreach (var endpoint in _adminEndpoints())
        {
            if (endpoint.Port != peer.Port)
                continue;
            if (peer.Hostname.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                return true;
            if (IPAddress.TryParse(peer.Hostname, out var address) &&
                (address.Equals(endpoint.Address) || (IPAddress.IsLoopback(address) && (IPAddress.IsLoopback(endpoint.Address) ||
                    endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)))))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The monitor moved servers (or a sync put a peer's runtime servers in force): runtime_mysql_servers' checksum
    /// follows, epoch now and version unchanged, as ProxySQL's read_only actions do. The latest servers are read, not
    /// the event's, so two moves reported out of order still end on the newest.
    /// </summary>
    private void OnServersUpdated(RuntimeSnapshot _)
    {
        if (Checksums.RuntimeServersChanged(_runtime.Current.Servers) is { } changed)
            LogChecksum(changed.Module.Name(), changed.Checksum, changed.Version, changed.Epoch);
    }

    /// <summary>
    /// Takes <paramref name="peerModule"/> from <paramref name="peer"/>, one sync per module at a time: fetched, checked
    /// against the checksum the peer showed, applied whole or not at all, saved to disk if so configured. For
    /// mysql_servers_v2, <paramref name="runtimeServers"/> (sync algorithm 1) brings the peer's runtime_mysql_servers
    /// along: both must match their checksums, MEMORY gets the servers as loaded and the runtime the peer's runtime.
    /// </summary>
    public async Task SyncAsync(PeerConnection connection, ProxysqlServerConfig peer, PeerModuleView peerModule, TimeSpan timeout,
        PeerModuleView? runtimeServers = null)
    {
        var module = peerModule.Module;
        if (_executor is not { } executor)
            return; // still starting: the admin interface is not open yet
        var gate = _syncGates[module];
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Another peer's loop may have brought the same configuration meanwhile.
            if (Checksums.Snapshot[module].Checksum == peerModule.Checksum)
                return;
            LogSyncStarting(peer, module.Name(), peerModule.Version, peerModule.Epoch, peerModule.Checksum);
            var tables = await ModuleSync.FetchAsync(connection, module, SyncInterfaces, timeout).ConfigureAwait(false);
            var runtimeTables = runtimeServers is null
                ? null
                : await ModuleSync.FetchAsync(connection, ClusterModule.MysqlServers, SyncInterfaces, timeout).ConfigureAwait(false);
            var refusal = ModuleSync.Verify(module, tables, peerModule.Checksum);
            if (refusal is null && runtimeTables is not null)
                refusal = ModuleSync.Verify(ClusterModule.MysqlServers, runtimeTables, runtimeServers!.Checksum);
            ClusterLoadOrigin origin = new([new PeerChecksum(module, peerModule.Checksum, peerModule.Epoch)]);
            Func<ProxyConfig, ProxyConfig>? atRuntime = null;
            if (refusal is null && runtimeTables is not null)
            {
                if (!ServerRows.TryParse(tables[0], out var loaded, out var error) || !ServerRows.TryParse(runtimeTables[0], out var running, out error))
                {
                    refusal = error;
                }
                else
                {
                    origin = new ClusterLoadOrigin(
                        [.. origin.Peers, new PeerChecksum(ClusterModule.MysqlServers, runtimeServers!.Checksum, runtimeServers.Epoch)], loaded);
                    atRuntime = c => c with { Servers = running };
                }
            }
            if (refusal is not null)
            {
                Refuse(peer, module, refusal);
                return;
            }
            var adminModule = ModuleSync.AdminModuleOf(module);
            // SQLite and rule compilation: off the socket engine thread the peer's answer may have completed on.
            var result = await Task.Run(() => executor.ReplaceAndLoad(adminModule, c => ModuleSync.FillMemory(c, module, tables), origin, atRuntime))
                .ConfigureAwait(false);
            if (result is AdminResult.Error loadError)
            {
                Refuse(peer, module, loadError.Message);
                return;
            }
            var saved = Settings.SaveToDisk[module];
            if (saved)
            {
                // As ProxySQL: with the peer's runtime servers, what is saved is the runtime (runtime → MEMORY → DISK).
                if (atRuntime is not null)
                    await Task.Run(() => executor.SaveRuntimeToMemory(adminModule)).ConfigureAwait(false);
                await Task.Run(() => executor.SaveToDisk(adminModule)).ConfigureAwait(false);
            }
            var now = Checksums.Snapshot[module];
            LogSynced(peer, module.Name(), now.Version, now.Epoch, now.Checksum, saved);
            if (now.Checksum != peerModule.Checksum)
                LogSyncedDiffers(peer, module.Name(), peerModule.Checksum, now.Checksum);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Sync algorithm 1 when only the peer's runtime_mysql_servers differs (its monitor moved a server): fetched, checked
    /// against the checksum shown, and put in force as the runtime servers; MEMORY keeps the servers as loaded unless
    /// <c>cluster_mysql_servers_save_to_disk</c>, which saves the runtime to MEMORY and DISK (ProxySQL's
    /// pull_runtime_mysql_servers_from_peer). The version goes up by one and the peer's epoch is kept.
    /// </summary>
    public async Task SyncRuntimeServersAsync(PeerConnection connection, ProxysqlServerConfig peer, PeerModuleView peerModule, TimeSpan timeout)
    {
        const ClusterModule module = ClusterModule.MysqlServers;
        if (_executor is not { } executor)
            return;
        // One gate for both server modules: a v2 sync and a runtime sync never interleave.
        var gate = _syncGates[ClusterModule.MysqlServersV2];
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Checksums.Snapshot[module].Checksum == peerModule.Checksum)
                return;
            LogSyncStarting(peer, module.Name(), peerModule.Version, peerModule.Epoch, peerModule.Checksum);
            var tables = await ModuleSync.FetchAsync(connection, module, SyncInterfaces, timeout).ConfigureAwait(false);
            var refusal = ModuleSync.Verify(module, tables, peerModule.Checksum);
            var running = ImmutableArray<ServerConfig>.Empty;
            if (refusal is null && !ServerRows.TryParse(tables[0], out running, out var error))
                refusal = error;
            if (refusal is not null)
            {
                Refuse(peer, module, refusal);
                return;
            }
            _runtime.UpdateServers(_ => running);
            var now = Checksums.RuntimeServersSynced(running, new PeerChecksum(module, peerModule.Checksum, peerModule.Epoch));
            var saved = Settings.SaveToDisk[module];
            if (saved)
            {
                await Task.Run(() => executor.SaveRuntimeToMemory(AdminModule.MysqlServers)).ConfigureAwait(false);
                await Task.Run(() => executor.SaveToDisk(AdminModule.MysqlServers)).ConfigureAwait(false);
            }
            LogSynced(peer, module.Name(), now.Version, now.Epoch, now.Checksum, saved);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A sync that fetched or loaded something it must not apply: counted and logged, nothing changed.</summary>
    private void Refuse(ProxysqlServerConfig peer, ClusterModule module, string reason)
    {
        Interlocked.Increment(ref _refusedSyncs);
        LogSyncRefused(peer, module.Name(), reason);
    }

    internal void RecordClient(string uuid, string host, int port, string interfaces) =>
        Clients = Clients.SetItem(uuid, (host, port, interfaces, Now));

    public async ValueTask DisposeAsync()
    {
        ImmutableDictionary<ProxysqlServerConfig, PeerMonitor> peers;
        lock (_peersGate)
        {
            _disposed = true;
            peers = _peers;
            _peers = ImmutableDictionary<ProxysqlServerConfig, PeerMonitor>.Empty;
        }
        foreach (var monitor in peers.Values)
            await monitor.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: checksum of {Module} is {Checksum}, version {Version}, epoch {Epoch}")]
    private partial void LogChecksum(string module, string checksum, long version, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: fetching {Module} from peer {Peer} (its version {Version}, epoch {Epoch}, checksum {Checksum})")]
    private partial void LogSyncStarting(ProxysqlServerConfig peer, string module, long version, long epoch, string checksum);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: synced {Module} from peer {Peer}: now version {Version}, epoch {Epoch}, checksum {Checksum} (saved to disk: {Saved})")]
    private partial void LogSynced(ProxysqlServerConfig peer, string module, long version, long epoch, string checksum, bool saved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: {Module} from peer {Peer} refused, configuration unchanged: {Reason}")]
    private partial void LogSyncRefused(ProxysqlServerConfig peer, string module, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: {Module} from peer {Peer} applied, but our checksum is {Ours}, not {Theirs}: a value the runtime normalises differs")]
    private partial void LogSyncedDiffers(ProxysqlServerConfig peer, string module, string theirs, string ours);
}
