using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class KillStatementTests
{
    [Theory]
    [InlineData("KILL 12", false, 12u)]
    [InlineData("kill connection 7;", false, 7u)]
    [InlineData("KILL QUERY 42", true, 42u)]
    [InlineData("  KILL HARD QUERY 3 ", true, 3u)]
    [InlineData("KILL SOFT CONNECTION 9", false, 9u)]
    public void Thread_id_forms_are_recognised(string sql, bool queryOnly, uint id)
    {
        Assert.True(KillStatement.TryParse(sql, out var kill));
        Assert.Equal(new KillStatement(queryOnly, id), kill);
    }

    [Theory]
    [InlineData("KILL QUERY ID 12")] // a query id, not a thread id
    [InlineData("KILL USER app")]
    [InlineData("KILL CONNECTION_ID()")]
    [InlineData("KILL 1+1")]
    [InlineData("KILLQUERY 1")]
    [InlineData("KILL -1")]
    [InlineData("KILL 99999999999")]
    public void Other_forms_are_left_to_the_server(string sql) => Assert.False(KillStatement.TryParse(sql, out _));
}
