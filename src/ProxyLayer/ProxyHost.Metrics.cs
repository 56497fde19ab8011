using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Config;
using ProxyLayer.Http;
using ProxyLayer.Monitor;
using ProxyLayer.Stats;
using ProxyLayer.Stats.Prometheus;

namespace ProxyLayer;

/// <summary>
/// The proxy's metrics: <c>stats_mysql_global</c>'s rows, the Prometheus text of <c>GET /metrics</c> and
/// <c>SHOW PROMETHEUS METRICS</c>, and the REST API server, started, moved and stopped by <c>LOAD ADMIN VARIABLES TO
/// RUNTIME</c> as <c>admin-restapi_enabled</c> / <c>admin-restapi_port</c> say.
/// </summary>
internal sealed partial class ProxyHost
{
    private static readonly MonitorCheckCounters NoMonitorChecks = new();
    private readonly ScrapeCounters _scrapes = new();
    private IRestApiServer? _restApi;
    private MetricsReport? _metrics;

    /// <summary>Writer-hostgroup changes seen in the runtime (failovers), for the metrics.</summary>
    public WriterChangeTracker Writers { get; }

    /// <summary>Where the REST API listens (port 0 resolved); empty while it is off.</summary>
    public IReadOnlyList<IPEndPoint> RestApiEndpoints => Volatile.Read(ref _restApi)?.Endpoints ?? [];

    /// <summary>The text of <c>GET /metrics</c>.</summary>
    public MetricsReport Metrics => _metrics ??= new MetricsReport(MetricsInputs);

    /// <summary><c>stats_mysql_global</c>'s rows kept outside <see cref="QueryStatistics"/> (cache, mirror, logins, monitor).</summary>
    private IEnumerable<(string Name, long Value)> MoreGlobalRows()
    {
        var rows = QueryCache.GlobalCounters().Concat(Mirror.GlobalCounters())
            .Concat(MySqlLogins.GlobalCounters()).Concat(AdminLogins.GlobalCounters()).Concat(Backends.ReadYourWrites.GlobalRows())
            .Concat(Backends.Counters.GlobalRows());
        // Without the monitor (-M) the check counters still show, at 0, as ProxySQL's do.
        return rows.Concat((_monitor?.Logs.Counters ?? NoMonitorChecks).GlobalRows());
    }

    private MetricsInputs MetricsInputs()
    {
        var snapshot = Runtime.Snapshot;
        var sessions = new RegistryStatsSessions(Sessions).Snapshot();
        var servers = Servers.All;
        return new MetricsInputs
        {
            Snapshot = snapshot,
            Globals = [.. GlobalStats.Values(Statistics, sessions, servers, snapshot).Concat(MoreGlobalRows())],
            Sessions = sessions,
            Servers = servers,
            Statistics = Statistics,
            Writers = Writers,
            Scrapes = _scrapes,
            MonitorChecks = _monitor?.Logs.Counters,
            EventsLogDropped = EventsLog.Dropped,
            AuthFailures = ClientAuth.FailureCounts,
            Held = Backends.Demand.Held,
            ReadYourWrites = Backends.ReadYourWrites,
        };
    }

    string IAdminLiveActions.PrometheusMetrics() => Metrics.Render(ExpositionFormat.Text);

    /// <summary>
    /// The last step of every load before the new snapshot goes live: the REST API and the web dashboard are started,
    /// moved or stopped as the admin variables say, then the admin interfaces reopened. If either cannot be done the load is refused and
    /// whatever was started for it is stopped again, so a configuration is applied whole or not at all.
    /// </summary>
    private string? BeforeRuntimeSwap(RuntimeSnapshot running, RuntimeSnapshot next)
    {
        var wanted = next.Admin.RestapiEnabled ? next.Admin.RestapiPort : (int?)null;
        var current = _restApi is null ? (int?)null : running.Admin.RestapiPort;
        IRestApiServer? started = null;
        if (wanted != current && wanted is { } port)
        {
            try
            {
                // Under the runtime's apply lock, on an admin (thread-pool) thread or at start-up: waiting here for
                // the bind is what lets a taken port refuse the load.
                started = RestApiServer.StartAsync(port, Metrics, () => Runtime.Snapshot.Config.RestapiRoutes, _loggerFactory).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException)
            {
                return $"admin-restapi_port: cannot listen on port {port}: {ex.Message}";
            }
        }
        var refused = PrepareDashboard(running, next, out var dashboard) ?? ReopenChangedAdminInterfaces(running, next);
        if (refused is not null)
        {
            if (started is not null)
                _ = started.DisposeAsync().AsTask();
            AbandonDashboard(dashboard);
            return refused;
        }
        CommitDashboard(dashboard);
        if (wanted != current)
        {
            var previous = Interlocked.Exchange(ref _restApi, started);
            if (previous is not null)
                _ = StopRestApiAsync(previous);
        }
        return null;
    }

    /// <summary>Stops one of the HTTP servers (metrics, dashboard); a failure to stop cleanly is logged, never thrown.</summary>
    private async Task StopHttpServerAsync(IAsyncDisposable server, string what)
    {
        try
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            LogHttpServerStopFailed(what, ex.Message);
        }
    }

    private Task StopRestApiAsync(IRestApiServer server) => StopHttpServerAsync(server, "REST API");

    private async Task StopRestApiAsync()
    {
        if (Interlocked.Exchange(ref _restApi, null) is { } server)
            await StopRestApiAsync(server).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} did not stop cleanly: {Reason}")]
    private partial void LogHttpServerStopFailed(string what, string reason);
}
