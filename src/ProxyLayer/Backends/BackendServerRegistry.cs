using System.Collections.Concurrent;

namespace ProxyLayer.Backends;

/// <summary>Keeps one <see cref="BackendServer"/> per host:port for the life of the process.</summary>
internal sealed class BackendServerRegistry
{
    private readonly ConcurrentDictionary<(string Host, int Port), BackendServer> _servers = new();

    /// <summary>What the servers' greetings said last; every server of this registry reports to it.</summary>
    public BackendIdentityState Identity { get; } = new();

    public BackendServer Get(string hostname, int port) =>
        _servers.GetOrAdd((hostname, port), static (key, identity) => new BackendServer(key.Host, key.Port, identity), Identity);

    public IReadOnlyCollection<BackendServer> All => [.. _servers.Values];
}
