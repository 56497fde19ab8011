using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class ConnectionIdQueryTests
{
    [Theory]
    [InlineData("SELECT CONNECTION_ID()", "CONNECTION_ID()")]
    [InlineData("select connection_id( );", "connection_id( )")]
    [InlineData("SELECT CONNECTION_ID() AS id", "id")]
    [InlineData("SELECT CONNECTION_ID() `my id`x", null)]
    [InlineData("SELECT CONNECTION_ID() me", "me")]
    [InlineData("SELECT CONNECTION_ID() AS `conn`", "conn")]
    [InlineData("SELECT CONNECTION_ID() FROM dual", null)]
    [InlineData("SELECT CONNECTION_ID() + 1", null)]
    [InlineData("SELECT CONNECTION_ID(), 2", null)]
    [InlineData("SELECTCONNECTION_ID()", null)]
    public void Only_the_bare_function_with_an_optional_alias_is_answered(string sql, string? column)
    {
        var parsed = ConnectionIdQuery.TryParse(sql, out var name);
        Assert.Equal(column is not null, parsed);
        if (column is not null)
            Assert.Equal(column, name);
    }
}
