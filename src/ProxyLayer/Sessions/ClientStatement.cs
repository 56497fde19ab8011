namespace ProxyLayer.Sessions;

/// <summary>
/// A statement the client prepared, under the id the proxy gave it. It is not tied to a backend connection: each
/// connection that runs it prepares it (once, cached by SQL text) and gets the id translated.
/// </summary>
internal sealed class ClientStatement(string sql, int parameterCount, int? hostgroup, bool isRead)
{
    public string Sql { get; } = sql;
    public int ParameterCount { get; } = parameterCount;
    /// <summary>Where the query rules sent it when it was prepared; null means the user's default hostgroup.</summary>
    public int? Hostgroup { get; } = hostgroup;
    /// <summary>A SELECT: safe to send again if its connection dies before any answer (classified once, at prepare).</summary>
    public bool IsRead { get; } = isRead;
    /// <summary>The parameter types of the last execute that sent them, for connections that have not seen them yet.</summary>
    public byte[]? ParameterTypes { get; set; }
    /// <summary>The rules' gtid_from_hostgroup at prepare (read-your-writes for its executions).</summary>
    public int? GtidFromHostgroup { get; init; }
}
