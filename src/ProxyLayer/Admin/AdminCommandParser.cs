using System.Collections.Frozen;

namespace ProxyLayer.Admin;

/// <summary>
/// Recognises ProxySQL's admin commands. Only ProxySQL's exact spellings match (spec §2.1), compared
/// case-insensitively on the normalised statement; everything else is not a command.
/// </summary>
internal static class AdminCommandParser
{
    private static readonly (string Name, AdminModule Module)[] Modules =
    [
        ("MYSQL SERVERS", AdminModule.MysqlServers),
        ("MYSQL USERS", AdminModule.MysqlUsers),
        ("MYSQL QUERY RULES", AdminModule.MysqlQueryRules),
        ("MYSQL VARIABLES", AdminModule.MysqlVariables),
        ("ADMIN VARIABLES", AdminModule.AdminVariables),
        ("SCHEDULER", AdminModule.Scheduler),
        ("PROXYSQL SERVERS", AdminModule.ProxysqlServers),
        ("RESTAPI", AdminModule.Restapi),
    ];

    /// <summary>"{0}" is the module name.</summary>
    private static readonly (string Pattern, LayerMove Move)[] Spellings =
    [
        ("LOAD {0} TO RUNTIME", LayerMove.MemoryToRuntime),
        ("LOAD {0} TO RUN", LayerMove.MemoryToRuntime),
        ("LOAD {0} FROM MEMORY", LayerMove.MemoryToRuntime),
        ("LOAD {0} FROM MEM", LayerMove.MemoryToRuntime),
        ("SAVE {0} TO MEMORY", LayerMove.RuntimeToMemory),
        ("SAVE {0} TO MEM", LayerMove.RuntimeToMemory),
        ("SAVE {0} FROM RUNTIME", LayerMove.RuntimeToMemory),
        ("SAVE {0} FROM RUN", LayerMove.RuntimeToMemory),
        ("LOAD {0} TO MEMORY", LayerMove.DiskToMemory),
        ("LOAD {0} TO MEM", LayerMove.DiskToMemory),
        ("LOAD {0} FROM DISK", LayerMove.DiskToMemory),
        ("SAVE {0} TO DISK", LayerMove.MemoryToDisk),
        ("SAVE {0} FROM MEMORY", LayerMove.MemoryToDisk),
        ("SAVE {0} FROM MEM", LayerMove.MemoryToDisk),
        ("LOAD {0} FROM CONFIG", LayerMove.ConfigToMemory),
    ];

    private static readonly FrozenDictionary<string, AdminCommand> Commands = BuildCommands();

    /// <summary>Returns the command for <paramref name="normalized"/> (see <see cref="StatementText.Normalize"/>), or null.</summary>
    public static AdminCommand? Parse(string normalized)
    {
        if (Commands.TryGetValue(normalized, out var command))
            return command;
        if (TryStripPrefix(normalized, "SAVE CONFIG TO FILE ", out var path) ||
            TryStripPrefix(normalized, "SELECT CONFIG INTO OUTFILE ", out path))
            return new AdminCommand.WriteConfigFile(Unquote(path));
        return null;
    }

    private static FrozenDictionary<string, AdminCommand> BuildCommands()
    {
        var commands = new Dictionary<string, AdminCommand>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, module) in Modules)
        {
            foreach (var (pattern, move) in Spellings)
                commands.Add(pattern.Replace("{0}", name, StringComparison.Ordinal), new AdminCommand.Move(module, move));
        }
        commands.Add("PROXYSQL SHUTDOWN", new AdminCommand.ProxySql(ProxySqlAction.Shutdown));
        commands.Add("PROXYSQL KILL", new AdminCommand.ProxySql(ProxySqlAction.Shutdown));
        commands.Add("PROXYSQL SHUTDOWN SLOW", new AdminCommand.ProxySql(ProxySqlAction.ShutdownSlow));
        commands.Add("PROXYSQL RESTART", new AdminCommand.ProxySql(ProxySqlAction.Restart));
        commands.Add("PROXYSQL FLUSH LOGS", new AdminCommand.ProxySql(ProxySqlAction.FlushLogs));
        commands.Add("PROXYSQL FLUSH QUERY CACHE", new AdminCommand.ProxySql(ProxySqlAction.FlushQueryCache));
        commands.Add("PROXYSQL FLUSH MYSQL QUERY CACHE", new AdminCommand.ProxySql(ProxySqlAction.FlushQueryCache));
        commands.Add("PROXYSQL PAUSE", new AdminCommand.ProxySql(ProxySqlAction.Pause));
        commands.Add("PROXYSQL RESUME", new AdminCommand.ProxySql(ProxySqlAction.Resume));
        commands.Add("SELECT CONFIG FILE", new AdminCommand.SelectConfigFile());
        return commands.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static bool TryStripPrefix(string text, string prefix, out string rest)
    {
        var matches = text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && text.Length > prefix.Length;
        rest = matches ? text[prefix.Length..] : "";
        return matches;
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == text[^1] && text[0] is '\'' or '"' ? text[1..^1] : text;
}
