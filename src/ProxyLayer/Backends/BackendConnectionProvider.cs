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
            var member = hostgroup is null ? null : ServerSelector.Pick(hostgroup, IsUsable);
            if (member is not null)
            {
                var pooled = member.Server.TryTakeIdle(key);
                if (pooled is not null)
                {
                    if (!pooled.IsBroken && pooled.Key.Equals(key) && pooled.Generation == member.Server.Generation)
                        return pooled;
                    await pooled.DisposeAsync().ConfigureAwait(false);
                    continue;
                }
                try
                {
                    return await BackendConnector.ConnectAsync(member.Server, credentials, key, schema,
                        TimeSpan.FromMilliseconds(settings.ConnectTimeoutServer), cancellationToken).ConfigureAwait(false);
                }
                catch (BackendConnectException ex)
                {
                    lastError = ex;
                    if (ex.IsAuthenticationFailure)
                        throw new BackendAcquireException(ex.ServerError!);
                    member.Server.OnConnectError();
                    failures++;
                    LogConnectFailed(member.Server.ToString(), hostgroupId, ex.Message);
                    if (failures > settings.ConnectRetriesOnFailure)
                    {
                        throw new BackendAcquireException(new MySqlError(ErrorCodes.MaxConnectFailure, "HY000",
                            $"Max connect failure while reaching hostgroup {hostgroupId}: {ex.Message}"));
                    }
                }
            }

            var waited = Stopwatch.GetElapsedTime(started);
            if (waited.TotalMilliseconds >= settings.ConnectTimeoutServerMax)
            {
                var reason = hostgroup is null ? $"hostgroup {hostgroupId} has no servers configured"
                    : lastError?.Message ?? $"no server of hostgroup {hostgroupId} is ONLINE with free capacity";
                LogNoServer(hostgroupId, (long)waited.TotalMilliseconds, reason);
                throw new BackendAcquireException(new MySqlError(ErrorCodes.MaxConnectTimeout, "HY000",
                    $"Max connect timeout reached while reaching hostgroup {hostgroupId} after {(long)waited.TotalMilliseconds}ms: {reason}"));
            }
            // Waiting for a server (e.g. a writer during failover): poll at the retry delay, but not in a hot loop.
            waiting ??= Demand.BeginWaiting(hostgroupId);
            await Task.Delay(Math.Max(settings.ConnectRetriesDelay, member is null ? 10 : 1), cancellationToken).ConfigureAwait(false);
        }
        }
        finally
        {
            waiting?.Dispose();
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

    [LoggerMessage(Level = LogLevel.Error, Message = "hostgroup {Hostgroup}: no backend after {WaitedMs} ms: {Reason}")]
    private partial void LogNoServer(int hostgroup, long waitedMs, string reason);
}
