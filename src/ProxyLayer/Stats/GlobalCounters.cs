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
    private long _accessDeniedWrongPassword;
    private long _errorsGenerated;
    private long _endedStmtPrepare;
    private long _endedStmtExecute;
    private long _endedStmtClose;
    private long _endedInitDb;
    private long _accessDeniedMaxConnections;
    private long _accessDeniedMaxUserConnections;

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

    /// <summary>Logins refused for an unknown user or a wrong password (ProxySQL's Access_Denied_Wrong_Password).</summary>
    public long AccessDeniedWrongPassword => Interlocked.Read(ref _accessDeniedWrongPassword);
    /// <summary>Logins refused because mysql-max_connections client connections were open.</summary>
    public long AccessDeniedMaxConnections => Interlocked.Read(ref _accessDeniedMaxConnections);
    /// <summary>Logins refused by the user's max_connections.</summary>
    public long AccessDeniedMaxUserConnections => Interlocked.Read(ref _accessDeniedMaxUserConnections);

    /// <summary>The frontend commands of the sessions that have ended (live sessions keep their own tally).</summary>
    public FrontendCommandTally EndedSessionCommands => new()
    {
        StmtPrepare = Interlocked.Read(ref _endedStmtPrepare),
        StmtExecute = Interlocked.Read(ref _endedStmtExecute),
        StmtClose = Interlocked.Read(ref _endedStmtClose),
        InitDb = Interlocked.Read(ref _endedInitDb),
    };

    /// <summary>Once per session, at its end: its command tally joins the totals.</summary>
    public void OnSessionEnded(in FrontendCommandTally commands)
    {
        Interlocked.Add(ref _endedStmtPrepare, commands.StmtPrepare);
        Interlocked.Add(ref _endedStmtExecute, commands.StmtExecute);
        Interlocked.Add(ref _endedStmtClose, commands.StmtClose);
        Interlocked.Add(ref _endedInitDb, commands.InitDb);
    }

    /// <summary>Error packets the proxy composed for its clients (backend errors relayed as they came are not counted).</summary>
    public long ErrorsGenerated => Interlocked.Read(ref _errorsGenerated);
    public void OnErrorGenerated() => Interlocked.Increment(ref _errorsGenerated);

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
    public void OnAccessDeniedWrongPassword() => Interlocked.Increment(ref _accessDeniedWrongPassword);
    public void OnAccessDeniedMaxConnections() => Interlocked.Increment(ref _accessDeniedMaxConnections);
    public void OnAccessDeniedMaxUserConnections() => Interlocked.Increment(ref _accessDeniedMaxUserConnections);
}
