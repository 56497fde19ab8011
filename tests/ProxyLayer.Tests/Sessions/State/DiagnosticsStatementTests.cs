using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class DiagnosticsStatementTests
{
    [Theory]
    [InlineData("Show", "SHOW WARNINGS", true)]
    [InlineData("Show", "show count(*) errors", true)]
    [InlineData("Show", "SHOW TABLES", false)]
    [InlineData("Select", "SELECT @@warning_count", true)]
    [InlineData("Select", "select @@SESSION.ERROR_COUNT, 1", true)]
    [InlineData("Select", "SELECT @@error_count", true)]
    [InlineData("Select", "SELECT warning_count FROM t", false)]
    [InlineData("Select", "SELECT @x, row_count()", false)]
    [InlineData("Select", "SELECT c FROM sbtest1 WHERE id=5", false)]
    [InlineData("Other", "GET DIAGNOSTICS @n = NUMBER", true)]
    [InlineData("Set", "SET @w = @@warning_count", false)]
    public void Tells_the_statements_that_read_the_diagnostics_area(string kind, string sql, bool reads) =>
        Assert.Equal(reads, DiagnosticsStatement.Reads(Enum.Parse<StatementKind>(kind), sql));
}
