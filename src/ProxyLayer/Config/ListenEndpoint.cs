using System.Globalization;

namespace ProxyLayer.Config;

/// <summary>
/// One listening address from <c>mysql-interfaces</c> or <c>admin-mysql_ifaces</c>: <c>host:port</c>,
/// <c>[v6]:port</c>, or a Unix socket path (starts with <c>/</c>, <see cref="Port"/> 0).
/// </summary>
public sealed record ListenEndpoint(string Host, int Port)
{
    public bool IsUnixSocket => Host.StartsWith('/');

    public override string ToString() => IsUnixSocket ? Host
        : Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}"
        : $"{Host}:{Port}";

    /// <summary>Parses a <c>;</c>-separated list; empty items are skipped. Port 0 is allowed (tests bind to a free port).</summary>
    public static bool TryParseList(string text, out List<ListenEndpoint> endpoints, out string error)
    {
        endpoints = [];
        error = "";
        foreach (string item in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse(item, out var endpoint))
            {
                error = $"'{item}' is not host:port or a socket path";
                return false;
            }
            endpoints.Add(endpoint);
        }
        return true;
    }

    public static bool TryParse(string text, out ListenEndpoint endpoint)
    {
        endpoint = null!;
        if (text.StartsWith('/'))
        {
            endpoint = new ListenEndpoint(text, 0);
            return true;
        }
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
            return false;
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        if (host.Length == 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port > 65535)
            return false;
        endpoint = new ListenEndpoint(host, port);
        return true;
    }
}
