namespace ProxyLayer.Admin;

/// <summary>A ProxySQL admin command (as opposed to SQL for SQLite or a locally answered client query).</summary>
internal abstract record AdminCommand
{
    private AdminCommand()
    {
    }

    /// <summary><c>LOAD|SAVE &lt;module&gt; TO|FROM &lt;layer&gt;</c>.</summary>
    public sealed record Move(AdminModule Module, LayerMove Direction) : AdminCommand;

    public sealed record ProxySql(ProxySqlAction Action) : AdminCommand;

    /// <summary><c>SELECT CONFIG FILE</c>: the MEMORY layer as config-file text, one row, column <c>Data</c>.</summary>
    public sealed record SelectConfigFile : AdminCommand;

    /// <summary><c>SAVE CONFIG TO FILE f</c> and <c>SELECT CONFIG INTO OUTFILE f</c>.</summary>
    public sealed record WriteConfigFile(string Path) : AdminCommand;
}

internal enum AdminModule
{
    MysqlServers,
    MysqlUsers,
    MysqlQueryRules,
    MysqlVariables,
    AdminVariables,
    Scheduler,
    ProxysqlServers,
    Restapi,
}

/// <summary>The five moves between ProxySQL's layers; there is no direct DISK↔RUNTIME move.</summary>
internal enum LayerMove
{
    MemoryToRuntime,
    RuntimeToMemory,
    DiskToMemory,
    MemoryToDisk,
    ConfigToMemory,
}

internal enum ProxySqlAction
{
    Shutdown,
    ShutdownSlow,
    Restart,
    FlushLogs,
    FlushQueryCache,
    Pause,
    Resume,
}
