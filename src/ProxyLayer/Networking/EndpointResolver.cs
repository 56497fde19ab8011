using System.Net;
using ProxyLayer.Config;

namespace ProxyLayer.Networking;

/// <summary>Turns configured interfaces into addresses to bind.</summary>
internal static class EndpointResolver
{
    public static IPEndPoint Resolve(ListenEndpoint endpoint)
    {
        if (endpoint.IsUnixSocket)
            throw new NotSupportedException($"Unix socket interface '{endpoint.Host}' is not supported yet; use host:port");
        var host = endpoint.Host is "" or "*" ? "0.0.0.0" : endpoint.Host;
        if (IPAddress.TryParse(host, out var address))
            return new IPEndPoint(address, endpoint.Port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new IPEndPoint(IPAddress.Loopback, endpoint.Port);
        var resolved = Dns.GetHostAddresses(host).FirstOrDefault()
            ?? throw new InvalidOperationException($"cannot resolve interface host '{host}'");
        return new IPEndPoint(resolved, endpoint.Port);
    }
}
