namespace ProxyLayer.Stats;

/// <summary>The counters behind <c>stats_mysql_global</c> that only the recording side can know.</summary>
internal sealed class GlobalCounters
{
    private long _questions;
    private long _slowQueries;
    private long _clientConnectionsCreated;
    private long _clientConnectionsAborted;
    private long _commitFiltered;
    private long _rollbackFiltered;
    private long _backendQueryTimeMicroseconds;
    private long _commandsOutOfOrder;

    public long Questions => Interlocked.Read(ref _questions);
    public long SlowQueries => Interlocked.Read(ref _slowQueries);
    public long ClientConnectionsCreated => Interlocked.Read(ref _clientConnectionsCreated);
    public long ClientConnectionsAborted => Interlocked.Read(ref _clientConnectionsAborted);
    /// <summary>COMMITs answered by the proxy because no transaction was open.</summary>
    public long CommitFiltered => Interlocked.Read(ref _commitFiltered);
    public long RollbackFiltered => Interlocked.Read(ref _rollbackFiltered);
    public long BackendQueryTimeMicroseconds => Interlocked.Read(ref _backendQueryTimeMicroseconds);
    /// <summary>Sessions closed with 1156 for a command packet not numbered 0.</summary>
    public long CommandsOutOfOrder => Interlocked.Read(ref _commandsOutOfOrder);

    public void OnQuestion() => Interlocked.Increment(ref _questions);

    public void OnBackendQuery(long elapsedMicroseconds, bool slow)
    {
        Interlocked.Add(ref _backendQueryTimeMicroseconds, elapsedMicroseconds);
        if (slow)
            Interlocked.Increment(ref _slowQueries);
    }

    public void OnClientConnectionCreated() => Interlocked.Increment(ref _clientConnectionsCreated);
    public void OnClientConnectionAborted() => Interlocked.Increment(ref _clientConnectionsAborted);
    public void OnCommitFiltered() => Interlocked.Increment(ref _commitFiltered);
    public void OnRollbackFiltered() => Interlocked.Increment(ref _rollbackFiltered);
    public void OnCommandOutOfOrder() => Interlocked.Increment(ref _commandsOutOfOrder);
}
