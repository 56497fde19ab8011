using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Http.Dashboard;
using ProxyLayer.Networking;
using ProxyLayer.Stats;

namespace ProxyLayer;

/// <summary>
/// The web dashboard on <c>admin-web_port</c>, started, moved and stopped by <c>LOAD ADMIN VARIABLES TO RUNTIME</c>
/// as <c>admin-web_enabled</c> / <c>admin-web_port</c> say, over HTTPS with the certificate the MySQL interface offers
/// (<c>proxysql-cert.pem</c> / <c>proxysql-key.pem</c> in the data directory, generated there if missing).
/// </summary>
internal sealed partial class ProxyHost
{
    private IDashboardServer? _dashboard;
    private DashboardStatus? _dashboardStatus;

    /// <summary>Status changes of hostgroup members (shunned, back ONLINE…), for the dashboard's timeline.</summary>
    public ServerStatusChanges StatusChanges { get; }

    /// <summary>Where the web dashboard listens (port 0 resolved); empty while it is off.</summary>
    public IReadOnlyList<IPEndPoint> DashboardEndpoints => Volatile.Read(ref _dashboard)?.Endpoints ?? [];

    private DashboardStatus DashboardStatus => _dashboardStatus ??= new DashboardStatus(MetricsInputs, () => _monitor?.Logs, StatusChanges, Backends.Demand, TimeProvider.System);

    /// <summary>
    /// Starts the dashboard <paramref name="next"/> asks for, if it differs from the running one; the caller makes it
    /// live (<see cref="CommitDashboard"/>) only once the whole load is accepted. Returns the reason for refusing the load.
    /// </summary>
    private string? PrepareDashboard(RuntimeSnapshot running, RuntimeSnapshot next, out DashboardChange change)
    {
        var wanted = next.Admin.WebEnabled ? next.Admin.WebPort : (int?)null;
        var current = _dashboard is null ? (int?)null : running.Admin.WebPort;
        change = new DashboardChange(wanted != current, null);
        if (!change.Changes || wanted is not { } port)
            return null;
        X509Certificate2 certificate;
        try
        {
            certificate = ClientTls?.Certificate ?? FrontendTls.LoadOrCreate(_datadir).Certificate;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"admin-web_enabled: the dashboard needs the certificate in {_datadir} (proxysql-cert.pem, proxysql-key.pem): {ex.Message}";
        }
        try
        {
            // Under the runtime's apply lock, on an admin (thread-pool) thread or at start-up: waiting here for the
            // bind is what lets a taken port refuse the load.
            var started = DashboardServer.StartAsync(port, certificate, DashboardStatus,
                () => Runtime.Snapshot.Admin.StatsCredentials, TimeProvider.System, _loggerFactory).GetAwaiter().GetResult();
            change = change with { Started = started };
            return null;
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException)
        {
            return $"admin-web_port: cannot listen on port {port}: {ex.Message}";
        }
    }

    private void CommitDashboard(DashboardChange change)
    {
        if (!change.Changes)
            return;
        if (Interlocked.Exchange(ref _dashboard, change.Started) is { } previous)
            _ = StopDashboardAsync(previous);
    }

    private static void AbandonDashboard(DashboardChange change)
    {
        if (change.Started is not null)
            _ = change.Started.DisposeAsync().AsTask();
    }

    private Task StopDashboardAsync(IDashboardServer server) => StopHttpServerAsync(server, "web dashboard");

    private async Task StopDashboardAsync()
    {
        if (Interlocked.Exchange(ref _dashboard, null) is { } server)
            await StopDashboardAsync(server).ConfigureAwait(false);
    }

    /// <summary>Whether a load changes the dashboard, and the server it started for it (null when it stops it).</summary>
    private readonly record struct DashboardChange(bool Changes, IDashboardServer? Started);

}
