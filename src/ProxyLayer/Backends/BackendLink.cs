using ProxyLayer.Config;

namespace ProxyLayer.Backends;

/// <summary>How the bytes of a backend connection travel (<c>mysql_servers.use_ssl</c>, <c>.compression</c>); plain TCP by default.</summary>
internal readonly record struct BackendLink(bool UseSsl, bool Compression)
{
    public static BackendLink Of(ServerConfig server) => new(server.UseSsl, server.Compression);

    public override string ToString() => (UseSsl, Compression) switch
    {
        (false, false) => "plain",
        (true, false) => "TLS",
        (false, true) => "compressed",
        (true, true) => "TLS, compressed",
    };
}
