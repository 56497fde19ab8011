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
    /// <summary>
    /// Connects one server may have under way at once; more statements wait for a connection to come back. Low enough
    /// to keep a burst of new sessions from opening a connection each, high enough not to slow a pool that has to grow.
    /// </summary>
    private const int MaxConnectsInFlight = 4;

    /// <summary>
    /// How long one wait for a connection to come back lasts before the server is picked again (ms). A wait normally
    /// ends sooner: at a hand-over, a connect's end or a connection of another kind parked.
    /// </summary>
    private const int MaxWaitForRelease = 1000;

    private readonly RuntimeConfigManager _runtime;
    private readonly ILogger _logger;

    public BackendConnectionProvider(RuntimeConfigManager runtime, ILogger<BackendConnectionProvider> logger)
    {
        _runtime = runtime;
        _logger = logger;
    }

    /// <summary>Hostgroups with statements waiting for a server; the monitor reacts to it.</summary>
    public HostgroupDemand Demand { get; } = new();

    /// <summary>Login databases checked lately (see <see cref="RecentLoginSchemas"/>).</summary>
    public RecentLoginSchemas LoginSchemas { get; } = new(TimeProvider.System);

    /// <summary>Counts the <c>SET GLOBAL</c>s that went through the proxy (see <see cref="BackendConnection.GlobalsEpoch"/>).</summary>
    private int _globalsEpoch;

    /// <summary>
    /// A <c>SET GLOBAL</c> succeeded: a new session must start from the new global values, as on a new connection to
    /// the server, so connections whose session variables were taken from the old ones are not handed out again.
    /// Sessions holding one keep it, as a server's open sessions keep their values.
    /// </summary>
    public void OnGlobalVariablesChanged() => Interlocked.Increment(ref _globalsEpoch);

    private bool HasCurrentGlobals(BackendConnection connection) => connection.GlobalsEpoch == Volatile.Read(ref _globalsEpoch);

    /// <param name="newConnection">Open a new connection even if a pooled one fits (the <c>create_new_connection=1</c> annotation).</param>
    /// <param name="withoutWaiting">
    /// One attempt only: if no server can take a connection now, fail at once with <see cref="ErrorCodes.MaxConnectTimeout"/>
    /// instead of waiting for one (a login checking its database must not wait out a failover).
    /// </param>
    /// <param name="preferApplied">Read-your-writes: prefer a server known to have applied these writes (any server if none is).</param>
    /// <param name="retryable">
    /// The caller will send its statement again on another connection if this one is dead: a recently parked connection
    /// the epoll engine has seen nothing on is handed out without a <c>poll</c> (see <see cref="BackendConnection.IsUsableAfterIdle"/>).
    /// </param>
    public ValueTask<BackendConnection> AcquireAsync(int hostgroupId, BackendCredentials credentials, BackendPoolKey key,
        string? schema, CancellationToken cancellationToken, bool newConnection = false, bool withoutWaiting = false,
        Gtid.SessionWrites? preferApplied = null, bool retryable = false) =>
        GetAsync(hostgroupId, credentials, key, schema, fromPool: !newConnection, dedicated: false, withoutWaiting, cancellationToken, preferApplied, retryable);

    /// <summary>What the pool handed out, took back, reset and closed (<c>MyHGM_myconnpoll_*</c>).</summary>
    public ConnectionPoolCounters Counters { get; } = new();

    /// <summary>Reads sent with read-your-writes, per hostgroup, by how each was served.</summary>
    public Gtid.ReadYourWritesCounters ReadYourWrites { get; } = new();

    /// <summary>
    /// A new connection that only its caller will ever use (a fast_forward session): never taken from the pool, logged
    /// in with exactly the capabilities of <paramref name="key"/>, and to be released with <c>reusable: false</c>.
    /// Server choice, retries and the time bound are those of <see cref="AcquireAsync"/>, so the failures are the same errors.
    /// </summary>
    public ValueTask<BackendConnection> ConnectDedicatedAsync(int hostgroupId, BackendCredentials credentials, BackendPoolKey key,
        string? schema, CancellationToken cancellationToken) =>
        GetAsync(hostgroupId, credentials, key, schema, fromPool: false, dedicated: true, withoutWaiting: false, cancellationToken);

    private async ValueTask<BackendConnection> GetAsync(int hostgroupId, BackendCredentials credentials, BackendPoolKey key,
        string? schema, bool fromPool, bool dedicated, bool withoutWaiting, CancellationToken cancellationToken,
        Gtid.SessionWrites? preferApplied = null, bool retryable = false)
    {
        Counters.OnGet();
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
                var member = hostgroup is null ? null
                    : preferApplied is null ? PickServer(hostgroup, settings, now)
                    : PickServerWith(hostgroup, preferApplied) ?? PickLeastBehind(hostgroup, preferApplied) ?? PickServer(hostgroup, settings, now);
                if (member is not null)
                {
                    var memberKey = key with { Link = LinkFor(member, dedicated) };
                    var pooled = fromPool ? member.Server.TryTakeIdle(memberKey) : null;
                    if (pooled is not null)
                    {
                        if (!HasCurrentGlobals(pooled))
                        {
                            await DestroyAsync(pooled).ConfigureAwait(false);
                            continue;
                        }
                        if (pooled.Generation == member.Server.Generation && pooled.IsUsableAfterIdle(trustQuiet: retryable))
                        {
                            Counters.OnGetOk();
                            return pooled;
                        }
                        // A dead idle connection usually means its server died: drop its other idle connections too.
                        await DestroyAsync(pooled).ConfigureAwait(false);
                        foreach (var stale in member.Server.TakeIdle(static c => !c.IsUsableAfterIdle()))
                            await DestroyAsync(stale).ConfigureAwait(false);
                        continue;
                    }
                    // A new or dedicated connection is always opened, never another session's.
                    if (fromPool)
                    {
                        // An idle connection of another user costs one COM_CHANGE_USER round trip instead of a connect.
                        if (!member.Server.RefusedChangeUserRecently(key.Username) && member.Server.TryTakeIdleOfAnotherUser(memberKey) is { } other)
                        {
                            if (!HasCurrentGlobals(other))
                            {
                                await DestroyAsync(other).ConfigureAwait(false);
                                continue;
                            }
                            if (await TryChangeUserAsync(other, credentials, memberKey, schema, cancellationToken).ConfigureAwait(false))
                            {
                                Counters.OnGetOk();
                                return other;
                            }
                            continue;
                        }
                        // Enough connects to this server are under way: rather than add one more, take whichever connection
                        // comes back first, or the slot of a connect that ends. Without this a burst opens one connection
                        // per waiting statement, more than the server accepts within the connect timeout, and fails them.
                        if (member.Server.ConnectsInFlight >= MaxConnectsInFlight)
                        {
                            var left = settings.ConnectTimeoutServerMax - (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                            if (left > 0)
                            {
                                var budget = TimeSpan.FromMilliseconds(Math.Min(left, MaxWaitForRelease));
                                if (await member.Server.WaitForReleaseAsync(memberKey, budget, cancellationToken).ConfigureAwait(false) is { } released)
                                {
                                    Counters.OnGetOk();
                                    return released;
                                }
                                continue;
                            }
                        }
                    }
                    // The slot counts connects under way, so a burst of sessions cannot overshoot max_connections;
                    // without one, wait below for a connection to come back.
                    if (member.Server.TryReserveConnectSlot(member.Config.MaxConnections))
                    {
                        try
                        {
                            var tls = memberKey.Link.UseSsl ? BackendTls.For(settings) : null;
                            var epoch = Volatile.Read(ref _globalsEpoch);
                            var connection = await BackendConnector.ConnectAsync(member.Server, credentials, memberKey, schema, tls,
                                TimeSpan.FromMilliseconds(settings.ConnectTimeoutServer), cancellationToken, exactCapabilities: dedicated).ConfigureAwait(false);
                            connection.GlobalsEpoch = epoch;
                            member.Server.OnConnectSucceeded();
                            Counters.OnGetOk();
                            return connection;
                        }
                        catch (BackendConnectException ex)
                        {
                            lastError = ex;
                            if (ex.IsFinalForLogin)
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
                if (withoutWaiting)
                {
                    throw new BackendAcquireException(new MySqlError(ErrorCodes.MaxConnectTimeout, "HY000",
                        $"no connection to hostgroup {hostgroupId} could be had at once: {lastError?.Message ?? "no server is ONLINE with free capacity"}"));
                }
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

    /// <summary>
    /// The server row's <c>use_ssl</c> and <c>compression</c>. A dedicated (fast_forward) connection relays the client's
    /// packets unread, so the proxy's own compressed protocol, which must know where commands start, is not used for
    /// it (a compressed client's frames are relayed instead, see <see cref="BackendConnector"/>); TLS is.
    /// </summary>
    private static BackendLink LinkFor(HostgroupMember member, bool dedicated) =>
        BackendLink.Of(member.Config) with { Compression = member.Config.Compression && !dedicated };

    private async Task<bool> TryChangeUserAsync(BackendConnection connection, BackendCredentials credentials, BackendPoolKey key,
        string? schema, CancellationToken cancellationToken)
    {
        if (connection.Generation == connection.Server.Generation && connection.IsUsableAfterIdle())
        {
            try
            {
                var epoch = Volatile.Read(ref _globalsEpoch);
                await BackendConnector.ChangeUserAsync(connection, credentials, key, schema, cancellationToken).ConfigureAwait(false);
                connection.GlobalsEpoch = epoch;
                Counters.OnReset();
                return true;
            }
            catch (Exception ex) when (ex is BackendConnectException or IOException or ProtocolException)
            {
                // The server answers a refused COM_CHANGE_USER only after a second (against password guessing), so this
                // user gets new connections for a while; the connect that follows reports the server's own error.
                if (ex is BackendConnectException { ServerError: not null })
                    connection.Server.OnChangeUserRefused(key.Username);
                LogChangeUserFailed(connection.Server.ToString(), key.Username, ex.Message);
            }
        }
        await DestroyAsync(connection).ConfigureAwait(false);
        return false;
    }

    private void OnConnectFailed(HostgroupMember member, int hostgroupId, MySqlVariables settings, BackendConnectException error)
    {
        var server = member.Server;
        server.OnConnectError();
        var logs = _serverLogs.GetValue(server, NewServerLogs);
        logs.ConnectFailed.Record($"connect to {server} (hostgroup {hostgroupId}) failed: {error.Message}");
        var threshold = Math.Max(1, Math.Min(settings.ShunOnFailures, settings.ConnectRetriesOnFailure + 1));
        if (server.RecentConnectFailures >= threshold && server.AvoidUntil <= Environment.TickCount64)
        {
            // ProxySQL: the shun lasts shun_recovery_time_sec, capped so a waiting statement can still try it again.
            var seconds = Math.Clamp(Math.Min(settings.ShunRecoveryTimeSec, settings.ConnectTimeoutServerMax / 1000 - 1), 1, int.MaxValue);
            server.AvoidUntil = Environment.TickCount64 + seconds * 1000L;
            logs.Avoiding.Record($"server {server}: {server.RecentConnectFailures} connect errors within a second; avoided for {seconds}s while other servers can serve");
        }
    }

    /// <summary>
    /// Each server's connect failures, logged once per burst: a burst of statements against a server that does not
    /// answer fails thousands of connects a second, and a line for each would bury everything else in the log.
    /// </summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<BackendServer, ServerLogs> _serverLogs = new();

    private ServerLogs NewServerLogs(BackendServer server) => new(
        new Networking.BurstLog(TimeProvider.System, (message, more) => LogConnectFailed(message, Networking.BurstLog.More(more))),
        new Networking.BurstLog(TimeProvider.System, (message, more) => LogAvoiding(message, Networking.BurstLog.More(more))));

    private sealed record ServerLogs(Networking.BurstLog ConnectFailed, Networking.BurstLog Avoiding);

    /// <summary>
    /// Takes a connection back. One whose state is all tracked goes straight back to the pool (the next user applies
    /// only the differences); one with untracked state is reset first, off the caller's path; a broken one, or one
    /// inside a transaction, is closed.
    /// </summary>
    public void Release(BackendConnection connection, bool reusable)
    {
        Counters.OnPush();
        if (!reusable || connection.IsBroken || connection.InTransaction)
        {
            _ = DestroyAsync(connection).AsTask();
            return;
        }
        if (connection.NeedsReset)
            _ = ResetAndPoolAsync(connection);
        else if (!TryPool(connection))
            _ = DestroyAsync(connection).AsTask();
    }

    /// <summary>Closes a connection the pool will not keep, counted as ProxySQL's <c>MyHGM_myconnpoll_destroy</c>.</summary>
    private ValueTask DestroyAsync(BackendConnection connection)
    {
        Counters.OnDestroy();
        return connection.DisposeAsync();
    }

    private bool TryPool(BackendConnection connection)
    {
        var snapshot = _runtime.Snapshot;
        connection.Statements.TrimTo(snapshot.Settings.MaxStmtsPerConnection);
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
        if (!online || connection.Server.Generation != connection.Generation || !HasCurrentGlobals(connection) ||
            !connection.Server.TryReturnIdle(connection, maxIdle))
            return false;
        connection.LastUsedTimestamp = Environment.TickCount64;
        return true;
    }

    private async Task ResetAndPoolAsync(BackendConnection connection)
    {
        try
        {
            var epoch = Volatile.Read(ref _globalsEpoch);
            if (await BackendCommands.ResetConnectionAsync(connection, CancellationToken.None).ConfigureAwait(false))
            {
                Counters.OnReset();
                connection.GlobalsEpoch = epoch;
                if (TryPool(connection))
                    return;
            }
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or OperationCanceledException or InvalidOperationException)
        {
            connection.MarkBroken();
        }
        await DestroyAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// A server for a new statement. Servers with recent connect errors, or pinging slower than their max_latency_ms,
    /// are left out while others can serve; if none can, they are used rather than failing the statement (ProxySQL
    /// would find no server and make the statement wait).
    /// </summary>
    internal static HostgroupMember? PickServer(HostgroupSnapshot hostgroup, MySqlVariables settings, long now) =>
        ServerSelector.Pick(hostgroup, (settings, now), static (m, s) => IsUsable(m) && m.Server.AvoidUntil <= s.now && IsFastEnough(m, s.settings))
        ?? ServerSelector.Pick(hostgroup, 0, static (m, _) => IsUsable(m));

    /// <summary>A usable server that has applied <paramref name="writes"/>, by weight; null if none has.</summary>
    internal static HostgroupMember? PickServerWith(HostgroupSnapshot hostgroup, Gtid.SessionWrites writes) =>
        ServerSelector.Pick(hostgroup, writes, static (m, w) => IsUsable(m) && w.IsAppliedBy(m.Server));

    /// <summary>
    /// Whether <see cref="PickServerWith"/> would find a server: one pass that stops at the first, with no random
    /// draw (the acquisition that follows makes the weighted choice once).
    /// </summary>
    internal static bool AnyServerWith(HostgroupSnapshot hostgroup, Gtid.SessionWrites writes)
    {
        foreach (var member in hostgroup.Members)
        {
            if (member.Config.Weight > 0 && IsUsable(member) && writes.IsAppliedBy(member.Server))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The usable server (weight over 0) known to lack the fewest of <paramref name="writes"/>: the one a wait for them
    /// is likely to end soonest on. Ties go to the first in the hostgroup.
    /// </summary>
    internal static HostgroupMember? PickLeastBehind(HostgroupSnapshot hostgroup, Gtid.SessionWrites writes)
    {
        HostgroupMember? best = null;
        var bestBehind = ulong.MaxValue;
        foreach (var member in hostgroup.Members)
        {
            if (member.Config.Weight <= 0 || !IsUsable(member))
                continue;
            var behind = writes.Behind(member.Server);
            if (behind < bestBehind)
            {
                best = member;
                bestBehind = behind;
            }
        }
        return best;
    }

    /// <summary>ProxySQL's latency filter: the monitor's ping time under the server's max_latency_ms, or the global default when 0.</summary>
    private static bool IsFastEnough(HostgroupMember member, MySqlVariables settings)
    {
        var limitMs = member.Config.MaxLatencyMs > 0 ? member.Config.MaxLatencyMs : settings.DefaultMaxLatencyMs;
        return limitMs <= 0 || member.Server.PingLatencyUs < limitMs * 1000L;
    }

    private static bool IsUsable(HostgroupMember member) =>
        member.Config.Status == ServerStatus.Online && member.Server.OpenConnections < member.Config.MaxConnections;

    [LoggerMessage(Level = LogLevel.Debug, Message = "COM_CHANGE_USER to {User} on a pooled connection to {Server} failed ({Error}); connecting instead")]
    private partial void LogChangeUserFailed(string server, string user, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failure}{More}")]
    private partial void LogConnectFailed(string failure, string more);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Avoiding}{More}")]
    private partial void LogAvoiding(string avoiding, string more);

    [LoggerMessage(Level = LogLevel.Error, Message = "hostgroup {Hostgroup}: no backend after {WaitedMs} ms: {Reason}")]
    private partial void LogNoServer(int hostgroup, long waitedMs, string reason);
}
