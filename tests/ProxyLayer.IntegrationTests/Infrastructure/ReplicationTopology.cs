using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// A primary (db001) and GTID replicas (db002, db003, ...) with read_only replicas, plus the moves an
/// orchestrator makes: kill, promote, repoint, fail back, switch over. <see cref="Primary"/> follows
/// the moves; <see cref="Replicas"/> are the running servers that are not the primary.
/// </summary>
public sealed class ReplicationTopology : IAsyncDisposable
{
    public static readonly TimeSpan DefaultSyncTimeout = TimeSpan.FromSeconds(30);

    private readonly List<MariaDbServer> _servers;

    private ReplicationTopology(List<MariaDbServer> servers)
    {
        _servers = servers;
        Primary = servers[0];
    }

    public MariaDbServer Primary { get; private set; }

    public IReadOnlyList<MariaDbServer> Servers => _servers;

    public IReadOnlyList<MariaDbServer> Replicas => [.. _servers.Where(server => server != Primary && server.IsRunning)];

    public static string ServerName(int number) => string.Create(CultureInfo.InvariantCulture, $"db{number:D3}");

    /// <summary>Starts db001 and <paramref name="replicas"/> replicas concurrently and waits until they are in sync.</summary>
    public static async Task<ReplicationTopology> StartAsync(int replicas = 2, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var starts = Enumerable.Range(1, replicas + 1)
            .Select(number => MariaDbServer.StartAsync(
                ServerName(number),
                new MariaDbServerOptions { ServerId = number, ReadOnly = number > 1, CreateSchema = number == 1 },
                cancellationToken))
            .ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(start => start.IsCompletedSuccessfully))
                await start.Result.DisposeAsync();
            throw;
        }

        var topology = new ReplicationTopology([.. starts.Select(start => start.Result)]);
        try
        {
            await Task.WhenAll(topology.Replicas.Select(replica => replica.ReplicateFromAsync(topology.Primary, cancellationToken)));
            await topology.WaitForReplicaSyncAsync(cancellationToken: cancellationToken);
            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    public MariaDbServer GetServer(string name) =>
        _servers.SingleOrDefault(server => server.Name == name)
        ?? throw new ArgumentException($"No server named {name}.", nameof(name));

    /// <summary>SIGKILLs the current primary and returns it; call <see cref="PromoteAsync"/> next.</summary>
    public async Task<MariaDbServer> KillPrimaryAsync(CancellationToken cancellationToken = default)
    {
        var killed = Primary;
        await killed.KillAsync(cancellationToken);
        return killed;
    }

    /// <summary>Applies what the replica already fetched, forgets its source, makes it writable: the new primary.</summary>
    public async Task PromoteAsync(MariaDbServer server, CancellationToken cancellationToken = default)
    {
        EnsureMember(server);
        if (!Primary.IsRunning)
            await CatchUpWithMostAdvancedReplicaAsync(server, cancellationToken);
        await server.StopReplicationAsync(cancellationToken);
        await server.SetReadOnlyAsync(false, cancellationToken);
        Primary = server;
    }

    /// <summary>
    /// After the primary died, another replica may have received more of its last events than the one to promote; then
    /// the others could not replicate from it. As orchestrator does, the chosen one first fetches what it lacks from
    /// the most advanced replica (every node logs replica updates).
    /// </summary>
    private async Task CatchUpWithMostAdvancedReplicaAsync(MariaDbServer server, CancellationToken cancellationToken)
    {
        var positions = new List<(MariaDbServer Server, string Position)>();
        foreach (var replica in Replicas)
        {
            await replica.ApplyFetchedEventsAsync(cancellationToken);
            positions.Add((replica, await replica.GetGtidBinlogPositionAsync(cancellationToken)));
        }
        var mine = positions.Single(p => p.Server == server).Position;
        var ahead = positions.Where(p => p.Server != server && GtidSequence(p.Position) > GtidSequence(mine))
            .OrderByDescending(p => GtidSequence(p.Position)).FirstOrDefault();
        if (ahead.Server is null)
            return;
        await server.ReplicateFromAsync(ahead.Server, cancellationToken);
        await server.WaitForGtidAsync(ahead.Position, DefaultSyncTimeout, cancellationToken);
    }

    /// <summary>The highest sequence number of a GTID position such as <c>0-1-2830</c> (the rig uses one domain).</summary>
    private static long GtidSequence(string position) =>
        position.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(gtid => long.Parse(gtid[(gtid.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Max();

    public Task RepointAsync(MariaDbServer replica, MariaDbServer newPrimary, CancellationToken cancellationToken = default)
    {
        EnsureMember(replica);
        EnsureMember(newPrimary);
        return replica.ReplicateFromAsync(newPrimary, cancellationToken);
    }

    /// <summary>Failback step: restarts a stopped or killed server read_only, replicating from <paramref name="newPrimary"/>.</summary>
    public async Task RestartAsReplicaAsync(MariaDbServer oldPrimary, MariaDbServer newPrimary, CancellationToken cancellationToken = default)
    {
        EnsureMember(oldPrimary);
        EnsureMember(newPrimary);
        await oldPrimary.RestartAsync(readOnly: true, cancellationToken);
        await oldPrimary.ReplicateFromAsync(newPrimary, cancellationToken);
    }

    /// <summary>Unplanned failover: kill the primary, promote <paramref name="newPrimary"/>, repoint the other running replicas.</summary>
    public async Task<MariaDbServer> FailoverAsync(MariaDbServer newPrimary, CancellationToken cancellationToken = default)
    {
        var killed = await KillPrimaryAsync(cancellationToken);
        await PromoteAsync(newPrimary, cancellationToken);
        await Task.WhenAll(Replicas.Select(replica => RepointAsync(replica, newPrimary, cancellationToken)));
        return killed;
    }

    /// <summary>
    /// Planned switchover: <paramref name="from"/> goes read_only, <paramref name="to"/> catches up and is
    /// promoted, and every other running server (including <paramref name="from"/>) replicates from it.
    /// </summary>
    public async Task SwitchoverAsync(MariaDbServer from, MariaDbServer to, CancellationToken cancellationToken = default)
    {
        if (from != Primary)
            throw new InvalidOperationException($"{from} is not the primary; {Primary} is.");
        EnsureMember(to);
        await from.SetReadOnlyAsync(true, cancellationToken);
        var finalPosition = await from.GetGtidBinlogPositionAsync(cancellationToken);
        await to.WaitForGtidAsync(finalPosition, DefaultSyncTimeout, cancellationToken);
        await PromoteAsync(to, cancellationToken);
        await Task.WhenAll(Replicas.Select(replica => RepointAsync(replica, to, cancellationToken)));
    }

    /// <summary>Waits until every running replica has applied everything the primary has logged so far.</summary>
    public async Task WaitForReplicaSyncAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!Primary.IsRunning)
            throw new InvalidOperationException($"The primary {Primary} is not running; promote a replica first.");
        var position = await Primary.GetGtidBinlogPositionAsync(cancellationToken);
        await Task.WhenAll(Replicas.Select(replica => replica.WaitForGtidAsync(position, timeout ?? DefaultSyncTimeout, cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_servers.Select(server => server.DisposeAsync().AsTask()));
    }

    private void EnsureMember(MariaDbServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!_servers.Contains(server))
            throw new ArgumentException($"{server} is not part of this topology.", nameof(server));
    }
}
