namespace ProxyLayer.Config;

/// <summary>
/// One row of <c>restapi_routes</c>: while <see cref="Active"/>, <c>&lt;Method&gt; /sync/&lt;Uri&gt;</c> on the REST API
/// port runs <see cref="Script"/> (no shell) with the request's parameters as one JSON argument, for at most
/// <see cref="TimeoutMs"/>, and answers with what it prints.
/// </summary>
public sealed record RestapiRouteConfig
{
    /// <summary>The table's CHECK on <c>timeout_ms</c>; the config file and the runtime hold rows to it too.</summary>
    public const int MinTimeoutMs = 100;
    public const int MaxTimeoutMs = 100_000_000;

    public required int Id { get; init; }
    public bool Active { get; init; } = true;
    public required int TimeoutMs { get; init; }
    /// <summary><c>GET</c> or <c>POST</c>, any case (the table's CHECK compares in upper case, and so does the route lookup).</summary>
    public required string Method { get; init; }
    /// <summary>The one path segment after <c>/sync/</c>.</summary>
    public required string Uri { get; init; }
    public required string Script { get; init; }
    public string Comment { get; init; } = "";
}
