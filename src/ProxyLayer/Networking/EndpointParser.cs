using System.Net;

namespace ProxyLayer.Networking;

/// <summary>Parses ProxySQL interface lists: <c>host:port</c> entries separated by <c>;</c> (or <c>,</c>).</summary>
internal static class EndpointParser
{
    public static IReadOnlyList<IPEndPoint> ParseList(string value)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var part in value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            endpoints.Add(Parse(part));
        return endpoints;
    }

    public static IPEndPoint Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
            throw new FormatException($"'{value}' is not host:port");
        var host = value[..colon].Trim('[', ']');
        if (host is "*" or "")
            host = "0.0.0.0";
        if (!IPAddress.TryParse(host, out var address))
        {
            address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                ? IPAddress.Loopback
                : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new FormatException($"cannot resolve '{host}'");
        }
        return new IPEndPoint(address, port);
    }
}
