using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>
/// Hands out backend connections for a hostgroup and takes them back. Getting one follows ProxySQL's rules: a pooled
/// connection if one fits, else a new one to a server picked by weight; failed attempts are retried
/// (<c>mysql-connect_retries_on_failure</c>, <c>…_delay</c>) and the whole wait is bounded by
/// <c>mysql-connect_timeout_server_max</c>, after which the client gets a clear error naming the hostgroup.
/// </summary>
internal sealed partial class BackendConnectionProvider
{
    private readonly RuntimeConfigManager _runtime;
    private readonly ILogger _logger;

    public BackendConnectionProvider(RuntimeConfigManager runtime, ILogger<BackendConnectionProvider> logger)
    {
        _runtime = runtime;
        _logger = logger;
    }

    /// <summary>Hostgroups with statements waiting for a server; the monitor reacts to it.</summary>
    public HostgroupDemand Demand { get; } = new();

    public async ValueTask<BackendConnection> AcquireAsync(int hostgroupId, BackendCredentials credentials, BackendPoolKey key,
        string? schema, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failures = 0;
        BackendConnectException? lastError = null;
        HostgroupDemand.Waiter? waiting = null;
        try
        {
            while (true)
            {
                var snapshot = _runtime.Snapshot;
                var settings = snapshot.Settings;
                var hostgroup = snapshot.FindHostgroup(hostgroupId);
                var now = Environment.TickCount64;
                var atCapacity = false;
                // Servers with recent connect errors are avoided while others are available; if none is, they are tried again.
                var member = hostgroup is null ? null
                    : ServerSelector.Pick(hostgroup, m => IsUsable(m) && m.Server.AvoidUntil <= now) ?? ServerSelector.Pick(hostgroup, IsUsable);
                if (member is not null)
                {
                    var memberKey = key with { Link = BackendLink.Of(member.Config) };
                    var pooled = member.Server.TryTakeIdle(memberKey);
                    if (pooled is not null)
                    {
                        if (pooled.Generation == member.Server.Generation && pooled.IsUsableAfterIdle())
                            return pooled;
                        // A dead idle connection usually means its server died: drop its other idle connections too.
                        await pooled.DisposeAsync().ConfigureAwait(false);
                        foreach (var stale in member.Server.TakeIdle(static c => !c.IsUsableAfterIdle()))
                            await stale.DisposeAsync().ConfigureAwait(false);
                        continue;
                    }
                    // The slot counts connects under way, so a burst of sessions cannot overshoot max_connections;
                    // without one, wait below for a connection to come back.
                    if (member.Server.TryReserveConnectSlot(member.Config.MaxConnections))
                    {
                        try
                        {
                            var tls = memberKey.Link.UseSsl ? BackendTls.For(settings) : null;
                            var connection = await BackendConnector.ConnectAsync(member.Server, credentials, memberKey, schema,
                                tls, TimeSpan.FromMilliseconds(settings.ConnectTimeoutServer), cancellationToken).ConfigureAwait(false);
                            member.Server.OnConnectSucceeded();
                            return connection;
                        }
                        catch (BackendConnectException ex)
                        {
                            lastError = ex;
                            if (ex.IsAuthenticationFailure)
                                throw new BackendAcquireException(ex.ServerError!);
                            OnConnectFailed(member, hostgroupId, settings, ex);
                            failures++;
                        }
                        finally
                        {
                            member.Server.ReleaseConnectSlot();
                        }
                    }
                    else
                    {
                        atCapacity = true;
                    }
                }

                var waited = Stopwatch.GetElapsedTime(started);
                if (waited.TotalMilliseconds >= settings.ConnectTimeoutServerMax)
                {
                    var reason = hostgroup is null ? $"hostgroup {hostgroupId} has no servers configured"
                        : lastError?.Message ?? $"no server of hostgroup {hostgroupId} is ONLINE with free capacity";
                    LogNoServer(hostgroupId, (long)waited.TotalMilliseconds, reason);
                    var code = lastError is not null && failures > settings.ConnectRetriesOnFailure ? ErrorCodes.MaxConnectFailure : ErrorCodes.MaxConnectTimeout;
                    var what = code == ErrorCodes.MaxConnectFailure ? "Max connect failure" : "Max connect timeout reached";
                    throw new BackendAcquireException(new MySqlError(code, "HY000",
                        $"{what} while reaching hostgroup {hostgroupId} after {(long)waited.TotalMilliseconds}ms: {reason}"));
                }
                // Wait for a server (e.g. a writer during failover) instead of failing: the monitor is told, and checks
                // read_only often until one appears. Poll at the retry delay, backing off a little after failures.
                waiting ??= Demand.BeginWaiting(hostgroupId);
                var delay = Math.Max(settings.ConnectRetriesDelay, member is null || atCapacity ? 10 : Math.Min(50, failures * 5));
                await Task.Delay(Math.Max(1, delay), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            waiting?.Dispose();
        }
    }

    private void OnConnectFailed(HostgroupMember member, int hostgroupId, MySqlVariables settings, BackendConnectException error)
    {
        var server = member.Server;
        server.OnConnectError();
        LogConnectFailed(server.ToString(), hostgroupId, error.Message);
        var threshold = Math.Max(1, Math.Min(settings.ShunOnFailures, settings.ConnectRetriesOnFailure + 1));
        if (server.RecentConnectFailures >= threshold && server.AvoidUntil <= Environment.TickCount64)
        {
            // ProxySQL: the shun lasts shun_recovery_time_sec, capped so a waiting statement can still try it again.
            var seconds = Math.Clamp(Math.Min(settings.ShunRecoveryTimeSec, settings.ConnectTimeoutServerMax / 1000 - 1), 1, int.MaxValue);
            server.AvoidUntil = Environment.TickCount64 + seconds * 1000L;
            LogAvoiding(server.ToString(), server.RecentConnectFailures, seconds);
        }
    }

    /// <summary>
    /// Takes a connection back. One whose state is all tracked goes straight back to the pool (the next user applies
    /// only the differences); one with untracked state is reset first, off the caller's path; a broken one, or one
    /// inside a transaction, is closed.
    /// </summary>
    public void Release(BackendConnection connection, bool reusable)
    {
        if (!reusable || connection.IsBroken || connection.InTransaction)
        {
            _ = connection.DisposeAsync().AsTask();
            return;
        }
        if (connection.NeedsReset)
            _ = ResetAndPoolAsync(connection);
        else if (!TryPool(connection))
            _ = connection.DisposeAsync().AsTask();
    }

    private bool TryPool(BackendConnection connection)
    {
        var snapshot = _runtime.Snapshot;
        var maxIdle = 0;
        var online = false;
        foreach (var hostgroup in snapshot.Hostgroups.Values)
        {
            foreach (var member in hostgroup.Members)
            {
                if (member.Server != connection.Server)
                    continue;
                online |= member.Config.Status == ServerStatus.Online;
                maxIdle = Math.Max(maxIdle, member.Config.MaxConnections);
            }
        }
        // ProxySQL keeps free_connections_pct of max_connections idle; at least a few, so bursts find warm connections.
        maxIdle = Math.Max(8, maxIdle * Math.Max(snapshot.Settings.FreeConnectionsPct, 1) / 100);
        if (!online || connection.Server.Generation != connection.Generation || !connection.Server.TryReturnIdle(connection, maxIdle))
            return false;
        connection.LastUsedTimestamp = Environment.TickCount64;
        return true;
    }

    private async Task ResetAndPoolAsync(BackendConnection connection)
    {
        try
        {
            if (await BackendCommands.ResetConnectionAsync(connection, CancellationToken.None).ConfigureAwait(false) && TryPool(connection))
                return;
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or OperationCanceledException or InvalidOperationException)
        {
            connection.MarkBroken();
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static bool IsUsable(HostgroupMember member) =>
        member.Config.Status == ServerStatus.Online && member.Server.OpenConnections < member.Config.MaxConnections;

    [LoggerMessage(Level = LogLevel.Warning, Message = "connect to {Server} (hostgroup {Hostgroup}) failed: {Error}")]
    private partial void LogConnectFailed(string server, int hostgroup, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "server {Server}: {Failures} connect errors within a second; avoided for {Seconds}s while other servers can serve")]
    private partial void LogAvoiding(string server, int failures, int seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "hostgroup {Hostgroup}: no backend after {WaitedMs} ms: {Reason}")]
    private partial void LogNoServer(int hostgroup, long waitedMs, string reason);
}
