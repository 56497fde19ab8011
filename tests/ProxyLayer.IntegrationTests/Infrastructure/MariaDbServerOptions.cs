namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>How <see cref="MariaDbServer.StartAsync"/> sets a server up.</summary>
public sealed record MariaDbServerOptions
{
    /// <summary>Unique within a replication topology; null takes the next from a per-run counter.</summary>
    public int? ServerId { get; init; }

    /// <summary>Start with <c>--read-only</c>, so there is no writable window before a replica is configured.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Create <c>testdb.insert_test</c> (binlogged). Replicas leave it to replication.</summary>
    public bool CreateSchema { get; init; } = true;

    /// <summary>Offer TLS with a certificate from a CA made for this server (<see cref="MariaDbServer.Certificates"/>).</summary>
    public bool Tls { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Start as a Galera node (see <see cref="GaleraCluster"/>); null for a plain server.</summary>
    public GaleraNodeOptions? Galera { get; init; }
}
