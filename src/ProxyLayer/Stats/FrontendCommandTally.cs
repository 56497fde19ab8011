using ProxyLayer.Protocol;

namespace ProxyLayer.Stats;

/// <summary>
/// One session's count of the client commands ProxySQL reports as <c>Com_frontend_stmt_*</c> and
/// <c>Com_frontend_init_db</c>. A field of the session, written only by the session's own flow, so counting is a plain
/// increment (no interlocked operation, no shared cache line); a scrape reads it racily and may miss the latest one.
/// The session adds it to <see cref="GlobalCounters"/> when it ends.
/// </summary>
internal struct FrontendCommandTally
{
    public long StmtPrepare;
    public long StmtExecute;
    public long StmtClose;
    public long InitDb;

    public void Count(CommandKind command)
    {
        switch (command)
        {
            case CommandKind.StmtPrepare: StmtPrepare++; break;
            case CommandKind.StmtExecute: StmtExecute++; break;
            case CommandKind.StmtClose: StmtClose++; break;
            case CommandKind.InitDb: InitDb++; break;
        }
    }

    public static FrontendCommandTally operator +(FrontendCommandTally a, FrontendCommandTally b) => new()
    {
        StmtPrepare = a.StmtPrepare + b.StmtPrepare,
        StmtExecute = a.StmtExecute + b.StmtExecute,
        StmtClose = a.StmtClose + b.StmtClose,
        InitDb = a.InitDb + b.InitDb,
    };
}
