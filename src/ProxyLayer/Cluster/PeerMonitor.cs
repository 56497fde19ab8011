using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ProxyLayer.Cluster;

/// <summary>
/// The check loop for one peer, as ProxySQL's cluster monitor thread: log in to the peer's admin interface with the
/// cluster credentials, require its <c>SELECT @@version</c> to be ours, announce our UUID, then every
/// <c>admin-cluster_check_interval_ms</c> read <c>GLOBAL_CHECKSUM()</c>, and the module checksums when it changed;
/// count the checks each module differs, and take a module from the peer when <see cref="SyncDecision"/> says so.
/// Every failure (peer down, slow, of another version, lying) is logged once per streak and the loop goes on.
/// </summary>
internal sealed partial class PeerMonitor : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VersionMismatchPause = TimeSpan.FromSeconds(30);

    private readonly ClusterNode _node;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private PeerView _view;
    private string? _lastLoggedError;

    public PeerMonitor(ProxysqlServerConfig peer, ClusterNode node, ILogger logger)
    {
        Peer = peer;
        _node = node;
        _logger = logger;
        _view = PeerView.Unseen(peer);
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    public ProxysqlServerConfig Peer { get; }

    public PeerView View => Volatile.Read(ref _view);

    private async Task RunAsync(CancellationToken stopping)
    {
        LogStarting(Peer);
        while (!stopping.IsCancellationRequested)
        {
            var settings = _node.Settings;
            if (settings.Username.Length == 0)
            {
                // As ProxySQL: no cluster user, no checks.
                await PauseAsync(TimeSpan.FromMilliseconds(settings.CheckIntervalMs), stopping).ConfigureAwait(false);
                continue;
            }
            PeerConnection? connection = null;
            try
            {
                connection = await PeerConnection.OpenAsync(Peer, settings.Username, settings.Password, ConnectTimeout).ConfigureAwait(false);
                var versionRows = (await connection.QueryAsync("SELECT @@version", Timeout(settings)).ConfigureAwait(false)).Rows;
                var version = versionRows.Count > 0 ? versionRows[0][0] : null;
                if (version != ClusterProtocol.ProxySqlVersion)
                {
                    Fail($"its version is {version}, ours {ClusterProtocol.ProxySqlVersion}: not clustering with it");
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                    await PauseAsync(VersionMismatchPause, stopping).ConfigureAwait(false);
                    continue;
                }
                await connection.ExecuteAsync(ClusterProtocol.NodeUuidCommand + _node.Uuid + " " + _node.AdminInterfaces, Timeout(settings))
                    .ConfigureAwait(false);
                LogClustering(Peer, version);
                await CheckLoopAsync(connection, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Whatever a peer does (drops the line, answers garbage, times out), this loop logs it and goes on.
                Fail(ex is TimeoutException ? "it did not answer in time" : ex.Message);
            }
            finally
            {
                if (connection is not null)
                    _ = connection.DisposeAsync().AsTask();
            }
            await PauseAsync(TimeSpan.FromMilliseconds(_node.Settings.CheckIntervalMs), stopping).ConfigureAwait(false);
        }
    }

    private async Task CheckLoopAsync(PeerConnection connection, CancellationToken stopping)
    {
        long? lastGlobal = null;
        var checks = 0;
        while (!stopping.IsCancellationRequested)
        {
            var settings = _node.Settings;
            var started = Stopwatch.GetTimestamp();
            var global = Long((await connection.QueryAsync(ClusterProtocol.GlobalChecksumQuery, Timeout(settings)).ConfigureAwait(false)).Rows[0][0]);
            var own = _node.Checksums.Snapshot;
            var now = _node.Now;
            var view = View;
            if (global != lastGlobal)
            {
                var table = await connection.QueryAsync(ClusterProtocol.ChecksumsQuery, Timeout(settings)).ConfigureAwait(false);
                view = Observe(view, table, own, now);
            }
            else
            {
                view = view with { Modules = [.. view.Modules.Select(m => m.Unchanged(own[m.Module].Checksum, now))] };
            }
            lastGlobal = global;
            if (settings.CheckStatusFrequency > 0 && ++checks >= settings.CheckStatusFrequency)
            {
                checks = 0;
                view = WithMetrics(view, await connection.QueryAsync(ClusterProtocol.MetricsQuery, Timeout(settings)).ConfigureAwait(false));
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            view = view with
            {
                GlobalChecksum = global, ResponseTimeMs = (long)elapsed.TotalMilliseconds, LastCheckTimestamp = Stopwatch.GetTimestamp(), LastError = null,
                IsSelf = _node.IsSelf(Peer),
            };
            Volatile.Write(ref _view, view);
            _lastLoggedError = null;
            if (!view.IsSelf)
                await ActOnDifferencesAsync(connection, view, settings).ConfigureAwait(false);
            var rest = TimeSpan.FromMilliseconds(settings.CheckIntervalMs) - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
                await PauseAsync(rest, stopping).ConfigureAwait(false);
        }
    }

    private async Task ActOnDifferencesAsync(PeerConnection connection, PeerView view, ClusterSettings settings)
    {
        var takesRuntimeServers = settings.ServersSyncAlgorithm.TakesRuntimeServers(_node.MonitorRunning());
        var runtimeServersTaken = false;
        foreach (var peerModule in view.Modules)
        {
            // runtime_mysql_servers (the monitor's moves) is taken with mysql_servers_v2 or after it, below.
            if (peerModule.Module == ClusterModule.MysqlServers)
                continue;
            if (Judge(peerModule, settings) != SyncVerdict.Sync)
                continue;
            if (peerModule.Module == ClusterModule.MysqlServersV2)
            {
                // As ProxySQL: the peer's runtime servers come in the same fetch and the same step, so no node ever
                // runs the new servers with the old moves.
                var runtime = takesRuntimeServers ? view[ClusterModule.MysqlServers] : null;
                await _node.SyncAsync(connection, Peer, peerModule, Timeout(settings), runtime).ConfigureAwait(false);
                runtimeServersTaken = takesRuntimeServers;
            }
            else
            {
                await _node.SyncAsync(connection, Peer, peerModule, Timeout(settings)).ConfigureAwait(false);
            }
        }
        if (takesRuntimeServers && !runtimeServersTaken && Judge(view[ClusterModule.MysqlServers], settings) == SyncVerdict.Sync)
            await _node.SyncRuntimeServersAsync(connection, Peer, view[ClusterModule.MysqlServers], Timeout(settings)).ConfigureAwait(false);
    }

    /// <summary>ProxySQL's verdict for one module, with its periodic logs when the peer cannot be synced from.</summary>
    private SyncVerdict Judge(PeerModuleView peerModule, ClusterSettings settings)
    {
        var own = _node.Checksums.Snapshot[peerModule.Module];
        var diffs = settings.DiffsBeforeSync[peerModule.Module];
        var verdict = SyncDecision.Judge(peerModule, own, diffs);
        switch (verdict)
        {
            case SyncVerdict.SameEpochConflict when peerModule.DiffCheck % (diffs * 10) == 0:
                LogSameEpoch(Peer, peerModule.Module.Name(), peerModule.Epoch, peerModule.Checksum, own.Checksum);
                break;
            case SyncVerdict.PeerAtVersionOne when diffs > 0 && peerModule.DiffCheck % (diffs * 10) == 0:
                LogVersionOne(Peer, peerModule.Module.Name(), peerModule.DiffCheck);
                break;
        }
        return verdict;
    }

    private static PeerView Observe(PeerView view, ClusterTable table, ChecksumSnapshot own, long now)
    {
        var modules = view.Modules.ToBuilder();
        foreach (var row in table.Rows)
        {
            if (row.Count < 4 || !ClusterModuleNames.TryParse(row[0] ?? "", out var module))
                continue; // ldap_variables and modules of newer versions: not ours to follow
            modules[(int)module] = modules[(int)module].Observe(Long(row[1]), Long(row[2]), row[3] ?? "", own[module].Checksum, now);
        }
        return view with { Modules = modules.ToImmutable() };
    }

    private static PeerView WithMetrics(PeerView view, ClusterTable table)
    {
        var values = table.Rows.Where(r => r.Count >= 2 && r[0] is not null)
            .GroupBy(r => r[0]!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => Long(g.First()[1]), StringComparer.OrdinalIgnoreCase);
        long Get(string name) => values.GetValueOrDefault(name);
        return view with
        {
            UptimeSeconds = Get("ProxySQL_Uptime"), Queries = Get("Questions"),
            ClientConnectionsConnected = Get("Client_Connections_connected"), ClientConnectionsCreated = Get("Client_Connections_created"),
        };
    }

    private static TimeSpan Timeout(ClusterSettings settings) => TimeSpan.FromMilliseconds(Math.Max(1000, settings.CheckIntervalMs * 5L));

    private void Fail(string reason)
    {
        Volatile.Write(ref _view, View with { LastError = reason });
        if (reason == _lastLoggedError)
            return;
        _lastLoggedError = reason;
        LogPeerFailed(Peer, reason);
    }

    private static async Task PauseAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static long Long(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A peer call still under way: it ends by its own timeout, its connection with it.
        }
        catch (Exception)
        {
            // A peer call that failed while the loop was being stopped (a connect timing out): nothing left to report.
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: starting the check loop for peer {Peer}")]
    private partial void LogStarting(ProxysqlServerConfig peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: clustering with peer {Peer} (version {Version})")]
    private partial void LogClustering(ProxysqlServerConfig peer, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: peer {Peer} skipped: {Reason}")]
    private partial void LogPeerFailed(ProxysqlServerConfig peer, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster: peer {Peer} has {Module} with our epoch {Epoch} but checksum {PeerChecksum} (ours {OwnChecksum}): cannot tell which is newer, not syncing until a LOAD on one side")]
    private partial void LogSameEpoch(ProxysqlServerConfig peer, string module, long epoch, string peerChecksum, string ownChecksum);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: peer {Peer} differs on {Module} for {DiffCheck} checks but still runs its start-up configuration (version 1): not syncing from it")]
    private partial void LogVersionOne(ProxysqlServerConfig peer, string module, int diffCheck);
}
