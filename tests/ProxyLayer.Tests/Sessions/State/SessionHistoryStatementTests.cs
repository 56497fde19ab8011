using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class SessionHistoryStatementTests
{
    [Theory]
    [InlineData("FLUSH STATUS")]
    [InlineData("flush local status")]
    [InlineData("SHOW STATUS LIKE 'Com_select'")]
    [InlineData("SHOW SESSION STATUS")]
    [InlineData("show profiles")]
    [InlineData("SHOW PROFILE FOR QUERY 1")]
    [InlineData("SET profiling = 1")]
    [InlineData("SET SESSION profiling_history_size = 20")]
    public void Statements_on_per_connection_history(string sql) => Assert.True(SessionHistoryStatement.Is(sql));

    [Theory]
    [InlineData("SHOW GLOBAL STATUS")]
    [InlineData("SHOW TABLES")]
    [InlineData("FLUSH TABLES")]
    [InlineData("SET sql_mode = ''")]
    [InlineData("SHOW VARIABLES LIKE 'profiling'")]
    public void Other_statements(string sql) => Assert.False(SessionHistoryStatement.Is(sql));

    [Theory]
    [InlineData("SET GLOBAL max_allowed_packet = 1048576", true)]
    [InlineData("SET @@global.sql_mode = ''", true)]
    [InlineData("set persist x = 1", true)]
    [InlineData("SET sql_mode = 'global'", false)]
    [InlineData("SET SESSION sql_mode = ''", false)]
    public void Global_scope_is_recognised(string sql, bool global) => Assert.Equal(global, SessionHistoryStatement.SetsGlobalScope(sql));
}
