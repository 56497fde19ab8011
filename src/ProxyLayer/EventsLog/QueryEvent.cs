namespace ProxyLayer.EventsLog;

/// <summary>
/// One statement for the events log, as a session hands it over: strings the session already holds and plain
/// numbers. Everything that costs (digest, address and time formatting) is done by the writer, off the client's path.
/// </summary>
internal readonly record struct QueryEvent
{
    /// <summary>The session's connection id (ProxySQL's thread_id).</summary>
    public required uint ThreadId { get; init; }
    public required string Username { get; init; }
    public string? Schema { get; init; }
    /// <summary>The statement as sent to the backend. Null only in the writer's internal wake-up marker.</summary>
    public required string Query { get; init; }
    /// <summary>The digest hash if the session has it; otherwise the writer computes it.</summary>
    public ulong? Digest { get; init; }
    public required string ClientAddress { get; init; }
    public int ClientPort { get; init; }
    /// <summary>The hostgroup that answered; null for an answer from the query cache (logged as -1, no server).</summary>
    public int? Hostgroup { get; init; }
    public string? ServerHost { get; init; }
    public int ServerPort { get; init; }
    public long StartUnixMicroseconds { get; init; }
    public long EndUnixMicroseconds { get; init; }
    public long RowsAffected { get; init; }
    public long RowsSent { get; init; }
}
