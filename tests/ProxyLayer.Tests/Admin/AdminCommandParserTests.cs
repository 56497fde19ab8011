using ProxyLayer.Admin;

namespace ProxyLayer.Tests.Admin;

public sealed class AdminCommandParserTests
{
    public static TheoryData<string, string> Modules => new()
    {
        { "MYSQL SERVERS", nameof(AdminModule.MysqlServers) },
        { "MYSQL USERS", nameof(AdminModule.MysqlUsers) },
        { "MYSQL QUERY RULES", nameof(AdminModule.MysqlQueryRules) },
        { "MYSQL VARIABLES", nameof(AdminModule.MysqlVariables) },
        { "ADMIN VARIABLES", nameof(AdminModule.AdminVariables) },
        { "SCHEDULER", nameof(AdminModule.Scheduler) },
        { "PROXYSQL SERVERS", nameof(AdminModule.ProxysqlServers) },
        { "RESTAPI", nameof(AdminModule.Restapi) },
    };

    [Theory]
    [MemberData(nameof(Modules))]
    public void Every_spelling_of_every_direction_matches(string name, string moduleName)
    {
        var module = Enum.Parse<AdminModule>(moduleName);
        (string Spelling, LayerMove Move)[] spellings =
        [
            ("LOAD {0} TO RUNTIME", LayerMove.MemoryToRuntime), ("LOAD {0} TO RUN", LayerMove.MemoryToRuntime),
            ("LOAD {0} FROM MEMORY", LayerMove.MemoryToRuntime), ("LOAD {0} FROM MEM", LayerMove.MemoryToRuntime),
            ("SAVE {0} TO MEMORY", LayerMove.RuntimeToMemory), ("SAVE {0} TO MEM", LayerMove.RuntimeToMemory),
            ("SAVE {0} FROM RUNTIME", LayerMove.RuntimeToMemory), ("SAVE {0} FROM RUN", LayerMove.RuntimeToMemory),
            ("LOAD {0} TO MEMORY", LayerMove.DiskToMemory), ("LOAD {0} TO MEM", LayerMove.DiskToMemory),
            ("LOAD {0} FROM DISK", LayerMove.DiskToMemory),
            ("SAVE {0} TO DISK", LayerMove.MemoryToDisk), ("SAVE {0} FROM MEMORY", LayerMove.MemoryToDisk),
            ("SAVE {0} FROM MEM", LayerMove.MemoryToDisk),
            ("LOAD {0} FROM CONFIG", LayerMove.ConfigToMemory),
        ];
        foreach (var (spelling, move) in spellings)
        {
            var text = spelling.Replace("{0}", name, StringComparison.Ordinal);
            Assert.Equal(new AdminCommand.Move(module, move), AdminCommandParser.Parse(StatementText.Normalize(text)));
            Assert.Equal(new AdminCommand.Move(module, move), AdminCommandParser.Parse(StatementText.Normalize("  " + text.ToLowerInvariant().Replace(" ", " \t\n ", StringComparison.Ordinal) + " ; ")));
        }
    }

    [Theory]
    [InlineData("LOAD MYSQL SERVER TO RUNTIME")]
    [InlineData("LOAD MYSQL SERVERS TO RUNTIMES")]
    [InlineData("LOAD MYSQL SERVERS TO DISK")]
    [InlineData("SAVE MYSQL SERVERS TO RUNTIME")]
    [InlineData("SAVE MYSQL SERVERS FROM DISK")]
    [InlineData("LOAD MYSQL SERVERS FROM RUNTIME")]
    [InlineData("SAVE MYSQL SERVERS FROM CONFIG")]
    [InlineData("LOAD MYSQLSERVERS TO RUNTIME")]
    [InlineData("PROXYSQL SHUTDOWN NOW")]
    public void Other_spellings_are_not_commands(string text) => Assert.Null(AdminCommandParser.Parse(StatementText.Normalize(text)));

    [Theory]
    [InlineData("PROXYSQL SHUTDOWN", nameof(ProxySqlAction.Shutdown))]
    [InlineData("proxysql kill", nameof(ProxySqlAction.Shutdown))]
    [InlineData("PROXYSQL SHUTDOWN SLOW", nameof(ProxySqlAction.ShutdownSlow))]
    [InlineData("PROXYSQL RESTART;", nameof(ProxySqlAction.Restart))]
    [InlineData("PROXYSQL FLUSH LOGS", nameof(ProxySqlAction.FlushLogs))]
    [InlineData("proxysql flush query cache;", nameof(ProxySqlAction.FlushQueryCache))]
    [InlineData("PROXYSQL FLUSH MYSQL QUERY CACHE", nameof(ProxySqlAction.FlushQueryCache))]
    [InlineData("PROXYSQL PAUSE", nameof(ProxySqlAction.Pause))]
    [InlineData("PROXYSQL RESUME", nameof(ProxySqlAction.Resume))]
    public void ProxySql_commands(string text, string action) =>
        Assert.Equal(new AdminCommand.ProxySql(Enum.Parse<ProxySqlAction>(action)), AdminCommandParser.Parse(StatementText.Normalize(text)));

    [Fact]
    public void Config_file_commands()
    {
        Assert.IsType<AdminCommand.SelectConfigFile>(AdminCommandParser.Parse("select config file"));
        Assert.Equal(new AdminCommand.WriteConfigFile("/tmp/a.cnf"), AdminCommandParser.Parse("SAVE CONFIG TO FILE /tmp/a.cnf"));
        Assert.Equal(new AdminCommand.WriteConfigFile("/tmp/b.cnf"), AdminCommandParser.Parse("SELECT CONFIG INTO OUTFILE '/tmp/b.cnf'"));
    }
}
