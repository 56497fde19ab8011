using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>
/// Runs one check: asks the probe, bounded by the check's timeout whatever the probe does, writes the result to the
/// monitor log and hands it to the policy.
/// </summary>
internal sealed class CheckRunner
{
    private readonly IServerProbe _probe;
    private readonly CheckCadence _cadence;
    private readonly MonitorPolicy _policy;
    private readonly MonitorLogs _logs;
    private readonly RuntimeConfigManager _runtime;
    private readonly TimeProvider _time;
    private readonly Backends.BackendServerRegistry? _servers;

    public CheckRunner(IServerProbe probe, CheckCadence cadence, MonitorPolicy policy, MonitorLogs logs,
        RuntimeConfigManager runtime, TimeProvider time, Backends.BackendServerRegistry? servers = null)
    {
        _servers = servers;
        _probe = probe;
        _cadence = cadence;
        _policy = policy;
        _logs = logs;
        _runtime = runtime;
        _time = time;
    }

    public async Task RunAsync(ServerAddress server, CheckKind kind, CancellationToken cancellationToken)
    {
        // Hosts failing the ping rule are skipped by the other checks (§6).
        if (kind is CheckKind.ReadOnly or CheckKind.ReplicationLag or CheckKind.Galera or CheckKind.GtidPosition && _policy.IsPingShunned(server))
            return;
        var snapshot = _runtime.Snapshot;
        var settings = snapshot.Settings;
        var tls = UsesSsl(snapshot, server) ? new ProbeTls(settings.SslP2sCa, settings.SslP2sCert, settings.SslP2sKey) : null;
        var target = new ProbeTarget(server, settings.MonitorUsername, settings.MonitorPassword, tls);
        var timeout = _cadence.TimeoutOf(kind);
        var startUs = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        var started = _time.GetTimestamp();
        switch (kind)
        {
            case CheckKind.Connect:
            {
                var result = await BoundedAsync(token => _probe.ConnectAsync(target, token), timeout, f => new ProbeResult(f), cancellationToken).ConfigureAwait(false);
                Log(kind, server, startUs, started, result.Failure, null, settings);
                _policy.OnConnect(server, result);
                break;
            }
            case CheckKind.Ping:
            {
                var result = await BoundedAsync(token => _probe.PingAsync(target, token), timeout, f => new ProbeResult(f), cancellationToken).ConfigureAwait(false);
                var latencyUs = Log(kind, server, startUs, started, result.Failure, null, settings);
                _policy.OnPing(server, result, latencyUs);
                break;
            }
            case CheckKind.ReadOnly:
            {
                var checkType = _cadence.CurrentTargets.ReadOnlyCheckType(server) ?? "read_only";
                var result = await BoundedAsync(token => _probe.ReadOnlyAsync(target, checkType, token), timeout, ReadOnlyResult.Failed, cancellationToken).ConfigureAwait(false);
                Log(kind, server, startUs, started, result.Failure, result.ReadOnly ? 1 : 0, settings);
                _policy.OnReadOnly(server, result);
                break;
            }
            case CheckKind.GtidPosition:
            {
                var result = await BoundedAsync(token => _probe.GtidPositionAsync(target, token), timeout, GtidPositionResult.Failed, cancellationToken).ConfigureAwait(false);
                // Not logged to a table (10 a second per server would crowd out nothing useful); counted for the metrics.
                var elapsedUs = (long)_time.GetElapsedTime(started).TotalMicroseconds;
                _logs.Counters.OnCheck(kind, result.Failure is null, Math.Max(1, elapsedUs));
                if (result.Position is { } position && _servers is not null)
                    _servers.Get(server.Host, server.Port).OnGtidPositionRead(position);
                break;
            }
            case CheckKind.ReplicationLag:
            {
                var result = await BoundedAsync(token => _probe.ReplicationLagAsync(target, token), timeout, LagResult.Failed, cancellationToken).ConfigureAwait(false);
                // Not a replica: logged as a NULL lag, like ProxySQL.
                Log(kind, server, startUs, started, result.Failure, result.IsReplica ? result.SecondsBehindMaster ?? settings.MonitorSlaveLagWhenNull : null, settings);
                _policy.OnReplicationLag(server, result);
                break;
            }
            case CheckKind.Galera:
            {
                var result = await BoundedAsync(token => _probe.GaleraAsync(target, token), timeout, Galera.GaleraCheckResult.Failed, cancellationToken).ConfigureAwait(false);
                var elapsedUs = (long)_time.GetElapsedTime(started).TotalMicroseconds;
                var entry = result.Failure is null
                    ? new Galera.GaleraLogEntry(server, startUs, Math.Max(1, elapsedUs), result.Status, null)
                    : new Galera.GaleraLogEntry(server, startUs, 0, null, result.Failure.Message);
                _logs.AddGalera(entry, settings);
                _policy.Galera.OnCheck(server, result);
                break;
            }
        }
    }

    /// <summary>
    /// The probe's answer, or a timeout failure once <paramref name="timeout"/> has passed. The probe's token is cancelled
    /// then too, but a probe that ignores it only leaks its own task: this check, and the loop, go on.
    /// </summary>
    /// <summary>Any row of the server with <c>use_ssl=1</c> makes the monitor use TLS for it.</summary>
    private static bool UsesSsl(RuntimeSnapshot snapshot, ServerAddress server)
    {
        foreach (var hostgroup in snapshot.Hostgroups.Values)
        {
            foreach (var member in hostgroup.Members)
            {
                if (member.Config.UseSsl && server.Matches(member.Config))
                    return true;
            }
        }
        return false;
    }

    private async Task<T> BoundedAsync<T>(Func<CancellationToken, ValueTask<T>> probe, TimeSpan timeout,
        Func<ProbeFailure, T> failed, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            var result = await probe(linked.Token).AsTask().WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            // The verdict may rebuild the runtime configuration: not on a socket engine's thread (inline completions).
            await Task.Yield();
            return result;
        }
        catch (TimeoutException)
        {
            return failed(ProbeFailure.TimedOut(timeout));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return failed(ProbeFailure.TimedOut(timeout));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A probe should report failures as results; one that throws is still just a failed check.
            return failed(new ProbeFailure(ProbeFailureKind.Connection, ex.Message));
        }
    }

    /// <summary>Writes the check to its monitor log; returns how long it took in microseconds.</summary>
    private long Log(CheckKind kind, ServerAddress server, long startUs, long startedTimestamp, ProbeFailure? failure, long? value,
        MySqlVariables settings)
    {
        var elapsedUs = (long)_time.GetElapsedTime(startedTimestamp).TotalMicroseconds;
        var entry = failure is null
            ? new MonitorLogEntry(server, startUs, Math.Max(1, elapsedUs), value, null)
            : new MonitorLogEntry(server, startUs, 0, null, failure.Message);
        _logs.Add(kind, entry, settings);
        return elapsedUs;
    }
}
