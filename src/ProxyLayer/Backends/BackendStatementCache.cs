namespace ProxyLayer.Backends;

/// <summary>A statement prepared on one backend connection: its id there, and whether it has seen parameter types.</summary>
internal sealed class BackendStatement(uint id, int parameterCount)
{
    public uint Id { get; } = id;
    public int ParameterCount { get; } = parameterCount;
    /// <summary>The server remembers parameter types from the last execute that sent them; later executes may omit them.</summary>
    public bool HasParameterTypes { get; set; }
    public long LastUsed { get; set; }
}

/// <summary>
/// The statements prepared on one backend connection, by SQL text, so any session that gets the connection reuses
/// them. Bounded twice, so the proxy never exhausts a server's <c>max_prepared_stmt_count</c>: per server by
/// <see cref="BackendServer.PreparedStatementBudget"/> across all its connections, at every prepare; and per
/// connection by <c>mysql-max_stmts_per_connection</c> when the connection goes back to the pool (as in ProxySQL,
/// which closes such a connection there). Past either, the least recently used statements are closed. Not at every
/// prepare: a session that keeps its connection (a transaction, or one after another as sysbench's read_write runs
/// them) and cycles through more statements than the limit would otherwise close and prepare again a statement on
/// almost every execute.
/// </summary>
internal sealed class BackendStatementCache(BackendServer server)
{
    private readonly Dictionary<string, BackendStatement> _bySql = new(StringComparer.Ordinal);
    private long _clock;

    public int Count => _bySql.Count;

    public BackendStatement? Find(string sql)
    {
        if (!_bySql.TryGetValue(sql, out var statement))
            return null;
        statement.LastUsed = ++_clock;
        return statement;
    }

    /// <summary>
    /// Statements dropped from the cache but still open on the server. Whoever holds the connection next closes
    /// them before its own command (only the connection's current owner may write to it).
    /// </summary>
    public List<uint> PendingCloses { get; } = [];

    /// <summary>Adds a statement; one it replaces or evicts to make room goes to <see cref="PendingCloses"/>.</summary>
    public void Add(string sql, BackendStatement statement)
    {
        if (_bySql.Remove(sql, out var replaced))
        {
            PendingCloses.Add(replaced.Id);
            server.OnStatementsClosed(1);
        }
        // Over the server's budget, each new statement replaces one of this connection's, so the total cannot grow.
        if (_bySql.Count > 0 && server.PreparedStatements >= BackendServer.PreparedStatementBudget)
            EvictOldest();
        statement.LastUsed = ++_clock;
        _bySql[sql] = statement;
        server.OnStatementsPrepared(1);
    }

    /// <summary>Closes the least recently used statements beyond <paramref name="capacity"/> (at least one is kept).</summary>
    public void TrimTo(int capacity)
    {
        while (_bySql.Count > Math.Max(1, capacity))
            EvictOldest();
    }

    private void EvictOldest()
    {
        var oldest = _bySql.MinBy(p => p.Value.LastUsed);
        _bySql.Remove(oldest.Key);
        PendingCloses.Add(oldest.Value.Id);
        server.OnStatementsClosed(1);
    }

    /// <summary>The server dropped every statement (COM_RESET_CONNECTION, COM_CHANGE_USER, the connection closed).</summary>
    public void Clear()
    {
        server.OnStatementsClosed(_bySql.Count);
        _bySql.Clear();
        PendingCloses.Clear();
    }
}
