using System.Diagnostics;
using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>Replication primitives on one server; <see cref="ReplicationTopology"/> composes them.</summary>
public sealed partial class MariaDbServer
{
    private static readonly TimeSpan RelayDrainTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReplicaConnectTimeout = TimeSpan.FromSeconds(30);

    public async Task<bool> IsReadOnlyAsync(CancellationToken cancellationToken = default) =>
        Convert.ToInt64(await QueryScalarAsync("SELECT @@global.read_only", cancellationToken), CultureInfo.InvariantCulture) != 0;

    public Task SetReadOnlyAsync(bool readOnly, CancellationToken cancellationToken = default) =>
        ExecuteAsync(readOnly ? "SET GLOBAL read_only = ON" : "SET GLOBAL read_only = OFF", cancellationToken);

    /// <summary><c>@@gtid_binlog_pos</c>: everything this server has written to its binary log.</summary>
    public async Task<string> GetGtidBinlogPositionAsync(CancellationToken cancellationToken = default) =>
        Convert.ToString(await QueryScalarAsync("SELECT @@global.gtid_binlog_pos", cancellationToken), CultureInfo.InvariantCulture) ?? "";

    /// <summary>Null when the server is not configured as a replica.</summary>
    public async Task<ReplicaStatus?> GetReplicaStatusAsync(CancellationToken cancellationToken = default) =>
        await QueryRowAsync("SHOW SLAVE STATUS", cancellationToken) is { } row ? ReplicaStatus.FromRow(row) : null;

    /// <summary>
    /// Makes this server a GTID replica of <paramref name="source"/> and returns once both replication
    /// threads run. The replica resumes from its own binary log position (every node logs replica updates),
    /// which is right for a fresh node, a repointed replica and a former primary alike.
    /// </summary>
    public async Task ReplicateFromAsync(MariaDbServer source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await ExecuteAsync("STOP SLAVE", cancellationToken);
        await ExecuteAsync("SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos", cancellationToken);
        await ExecuteAsync(
            string.Create(
                CultureInfo.InvariantCulture,
                $"""
                CHANGE MASTER TO MASTER_HOST = '{source.Host}', MASTER_PORT = {source.Port},
                    MASTER_USER = '{RigCredentials.ReplicationUser}', MASTER_PASSWORD = '{RigCredentials.ReplicationPassword}',
                    MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1
                """),
            cancellationToken);
        await ExecuteAsync("START SLAVE", cancellationToken);
        await WaitUntilReplicatingAsync(source, cancellationToken);
    }

    /// <summary>
    /// Stops replicating for good: stops fetching, lets the SQL thread apply what was already fetched,
    /// then forgets the source (RESET SLAVE ALL). Does nothing to read_only.
    /// </summary>
    public async Task StopReplicationAsync(CancellationToken cancellationToken = default)
    {
        if (await GetReplicaStatusAsync(cancellationToken) is not null)
        {
            await ExecuteAsync("STOP SLAVE IO_THREAD", cancellationToken);
            await WaitForRelayLogAppliedAsync(cancellationToken);
        }

        await ExecuteAsync("STOP SLAVE", cancellationToken);
        await ExecuteAsync("RESET SLAVE ALL", cancellationToken);
    }

    /// <summary>Stops fetching from the source and waits until what was fetched is applied; replication stays configured.</summary>
    public async Task ApplyFetchedEventsAsync(CancellationToken cancellationToken = default)
    {
        if (await GetReplicaStatusAsync(cancellationToken) is null)
            return;
        await ExecuteAsync("STOP SLAVE IO_THREAD", cancellationToken);
        await WaitForRelayLogAppliedAsync(cancellationToken);
    }

    /// <summary>Waits until this replica has applied <paramref name="gtidPosition"/> (MASTER_GTID_WAIT).</summary>
    public async Task WaitForGtidAsync(string gtidPosition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gtidPosition);
        if (gtidPosition.Length == 0)
            return;
        var sql = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT MASTER_GTID_WAIT('{gtidPosition}', {timeout.TotalSeconds:0.###})");
        var result = Convert.ToInt64(await QueryScalarAsync(sql, cancellationToken), CultureInfo.InvariantCulture);
        if (result != 0)
        {
            var status = await GetReplicaStatusAsync(cancellationToken);
            throw new TimeoutException(
                $"{this} did not reach GTID {gtidPosition} within {timeout.TotalSeconds:0} s; replica status: {status?.ToString() ?? "not a replica"}");
        }
    }

    /// <summary>START SLAVE returns before the IO thread has connected; callers expect a working replica.</summary>
    private async Task WaitUntilReplicatingAsync(MariaDbServer source, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var status = await GetReplicaStatusAsync(cancellationToken);
            if (status is { IsReplicating: true })
                return;
            if (status is not null && status.SqlRunning == "No" && status.LastSqlError.Length > 0)
                throw new InvalidOperationException($"{this} cannot replicate from {source}: {status}");
            if (elapsed.Elapsed > ReplicaConnectTimeout)
                throw new TimeoutException($"{this} did not connect to {source} within {ReplicaConnectTimeout.TotalSeconds:0} s: {status}");
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task WaitForRelayLogAppliedAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var status = await GetReplicaStatusAsync(cancellationToken);
            if (status is null || status.RelayLogApplied)
                return;
            if (status.SqlRunning != "Yes")
                throw new InvalidOperationException($"{this} cannot apply its relay log: {status}");
            if (elapsed.Elapsed > RelayDrainTimeout)
                throw new TimeoutException($"{this} did not apply its relay log within {RelayDrainTimeout.TotalSeconds:0} s: {status}");
            await Task.Delay(50, cancellationToken);
        }
    }
}
