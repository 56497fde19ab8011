using Microsoft.Data.Sqlite;
using ProxyLayer.Admin.Guard;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// Runs admin SQL as ProxySQL's admin module does, independent of sockets: ProxySQL commands (LOAD/SAVE,
/// PROXYSQL …), locally answered client queries, SHOW and SET statements, and everything else on SQLite. Never
/// throws for bad input: every failure becomes an <see cref="AdminResult.Error"/>.
/// </summary>
internal sealed class AdminStatementExecutor
{
    private readonly AdminStore _store;
    private readonly IRuntimeConfig _runtime;
    private readonly IAdminTableRefresher? _refresher;
    private readonly LayerMover _mover;
    private readonly ConfigFileCommands _configFileCommands;
    private readonly IAdminLiveActions? _live;
    private readonly IAdminClusterHooks? _cluster;

    /// <param name="refresher">Fills stats/monitor tables before a statement that reads them; null leaves them as they are.</param>
    /// <param name="live">The running proxy, for commands that act on it (FLUSH QUERY CACHE, FLUSH LOGS); null: none.</param>
    /// <param name="cluster">The cluster node told of loads and answering peers; null: no cluster.</param>
    public AdminStatementExecutor(AdminStore store, IRuntimeConfig runtime, IAdminTableRefresher? refresher = null, IAdminLiveActions? live = null,
        IAdminClusterHooks? cluster = null)
    {
        _store = store;
        _runtime = runtime;
        _refresher = refresher;
        _live = live;
        _cluster = cluster;
        _mover = new LayerMover(store, runtime, cluster);
        _configFileCommands = new ConfigFileCommands(store);
    }

    /// <summary>
    /// Runs every statement in <paramref name="sql"/> (separated by <c>;</c>) and returns the last result, or the
    /// first error, shutdown or restart, after which nothing more runs.
    /// </summary>
    public AdminResult Execute(string sql, AdminSessionContext context) => ExecuteAll(sql, context)[^1];

    /// <summary>One result per statement run, for a listener that sends multi-statement results.</summary>
    public IReadOnlyList<AdminResult> ExecuteAll(string sql, AdminSessionContext context)
    {
        var statements = StatementText.Split(sql);
        if (statements.Count == 0)
            return [new AdminResult.Error(1065, "42000", "Query was empty")];
        var results = new List<AdminResult>(statements.Count);
        foreach (var statement in statements)
        {
            var result = ExecuteStatement(statement, context);
            results.Add(result);
            if (result is AdminResult.Error or AdminResult.Shutdown or AdminResult.Restart)
                break;
        }
        return results;
    }

    /// <summary>Start-up's last step (spec §3): MEMORY, as <see cref="AdminStore.Open"/> left it, becomes RUNTIME.</summary>
    public RuntimeApplyResult LoadAllToRuntime() => _mover.LoadAllToRuntime();

    /// <summary>A cluster sync's all-or-nothing replace of one module's MEMORY rows and load to RUNTIME (see <see cref="LayerMover"/>).</summary>
    public AdminResult ReplaceAndLoad(AdminModule module, Action<SqliteConnection> fillMemory, object origin,
        Func<ProxyConfig, ProxyConfig>? atRuntime = null) =>
        _mover.ReplaceAndLoad(module, fillMemory, origin, atRuntime);

    /// <summary>Copies one module from RUNTIME to MEMORY (a sync of runtime_mysql_servers saved to disk, as ProxySQL does).</summary>
    public AdminResult SaveRuntimeToMemory(AdminModule module) => _mover.Move(module, LayerMove.RuntimeToMemory);

    /// <summary>Copies one module from MEMORY to DISK (a sync's <c>cluster_*_save_to_disk</c>).</summary>
    public AdminResult SaveToDisk(AdminModule module) => _mover.Move(module, LayerMove.MemoryToDisk);

    private AdminResult ExecuteStatement(string statement, AdminSessionContext context)
    {
        var normalized = StatementText.Normalize(statement);
        AdminResult result;
        try
        {
            result = Dispatch(statement, normalized, context);
        }
        catch (SqliteException e)
        {
            result = SqliteStatementRunner.ToError(e);
        }
        catch (Exception e)
        {
            result = AdminResult.Error.Admin(e.Message);
        }
        if (!normalized.StartsWith("SHOW WARNINGS", StringComparison.OrdinalIgnoreCase))
            context.LastWarnings = result is AdminResult.Ok ok ? ok.Warnings : [];
        return result;
    }

    private AdminResult Dispatch(string statement, string normalized, AdminSessionContext context)
    {
        if (AdminCommandParser.Parse(normalized) is { } command)
            return Run(command);
        if (StatusCommands.IsPrometheusMetrics(normalized))
            return StatusCommands.PrometheusMetrics(_live);
        if (DigestToDiskCommand.Matches(normalized))
            return DigestToDiskCommand.Run(_live);
        return _store.Run(connection =>
            _cluster?.TryAnswer(connection, normalized, context)
            ?? (StatusCommands.TryRewrite(normalized) is { } status ? RunOnSqlite(connection, status) : null)
            ?? LocalAnswers.TryAnswer(normalized, context, name => GlobalVariable(connection, name))
            ?? SessionStatements.TryAnswer(connection, statement, normalized)
            ?? ShowUnderGuard(connection, normalized, context)
            ?? RunOnSqlite(connection, statement));
    }

    private AdminResult Run(AdminCommand command) => command switch
    {
        AdminCommand.Move move => _mover.Move(move.Module, move.Direction),
        AdminCommand.ProxySql proxySql => ProxySqlCommands.Run(proxySql.Action, _live),
        AdminCommand.SelectConfigFile => _configFileCommands.Select(),
        AdminCommand.WriteConfigFile write => _configFileCommands.Write(write.Path),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
    };

    /// <summary>Refreshes what the statement reads (runtime mirrors, then stats/monitor via the hook) and runs it.</summary>
    private AdminResult RunOnSqlite(SqliteConnection connection, string statement)
    {
        RuntimeMirror.RefreshMentioned(connection, statement, _runtime.Current);
        _cluster?.Refresh(connection, statement);
        if (_refresher is not null)
        {
            var mentioned = AdminSchema.StatsAndMonitorTableNames
                .Where(name => statement.Contains(name, StringComparison.OrdinalIgnoreCase))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (mentioned.Count > 0)
                _refresher.Refresh(connection, mentioned);
        }
        using var judged = _store.Guard.ForUserStatement();
        return judged.Judge(SqliteStatementRunner.Run(connection, statement));
    }

    /// <summary>SHOW VARIABLES WHERE splices the admin's condition into SQL, so SHOW runs judged as typed SQL does.</summary>
    private AdminResult? ShowUnderGuard(SqliteConnection connection, string normalized, AdminSessionContext context)
    {
        using var judged = _store.Guard.ForUserStatement();
        return ShowCommands.TryAnswer(connection, normalized, context) is { } result ? judged.Judge(result) : null;
    }

    private static string? GlobalVariable(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT variable_value FROM main.global_variables WHERE variable_name=@name COLLATE NOCASE";
        command.Parameters.AddWithValue("@name", name);
        return command.ExecuteScalar() as string;
    }
}
