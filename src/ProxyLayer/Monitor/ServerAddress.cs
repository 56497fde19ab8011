using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>A backend as the monitor sees it: one host:port, whatever hostgroups it is in.</summary>
internal readonly record struct ServerAddress(string Host, int Port)
{
    public static ServerAddress Of(ServerConfig server) => new(server.Hostname, server.Port);

    public bool Matches(ServerConfig server) => server.Port == Port && string.Equals(server.Hostname, Host, StringComparison.Ordinal);

    public override string ToString() => $"{Host}:{Port}";
}
