using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// What a <c>restapi_routes</c> configuration must hold before it is loaded: the table's own constraints (for rows that
/// come from the config file), and what ProxySQL takes silently but can never serve: a <c>uri</c> with a slash (only
/// the one segment after <c>/sync/</c> is matched) and two active rows for one method and uri (ProxySQL then answers
/// every request to it with an error).
/// </summary>
internal static class RestapiRouteValidation
{
    public static IEnumerable<string> Errors(ImmutableArray<RestapiRouteConfig> rows)
    {
        var ids = new HashSet<int>();
        var routes = new Dictionary<(string Method, string Uri), int>();
        foreach (var row in rows)
        {
            var name = $"restapi_routes (id={row.Id})";
            if (!ids.Add(row.Id))
                yield return $"{name}: duplicate id";
            if (row.TimeoutMs is < RestapiRouteConfig.MinTimeoutMs or > RestapiRouteConfig.MaxTimeoutMs)
                yield return $"{name}: timeout_ms {row.TimeoutMs} is out of range ({RestapiRouteConfig.MinTimeoutMs}..{RestapiRouteConfig.MaxTimeoutMs})";
            var method = row.Method.ToUpperInvariant();
            if (method is not ("GET" or "POST"))
                yield return $"{name}: method '{row.Method}' is not GET or POST";
            if (row.Uri.Length == 0)
                yield return $"{name}: uri is empty";
            else if (row.Uri.Contains('/', StringComparison.Ordinal))
                yield return $"{name}: uri '{row.Uri}' has a '/': it is the one path segment after /sync/ (serve /sync/x as uri 'x')";
            if (row.Script.Length == 0)
                yield return $"{name}: script is empty";
            if (row.Active && !routes.TryAdd((method, row.Uri), row.Id))
                yield return $"{name}: {method} /sync/{row.Uri} is also served by id={routes[(method, row.Uri)]}; one active row per method and uri";
        }
    }
}
