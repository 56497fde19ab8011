using ProxyLayer.Admin;

namespace ProxyLayer.Tests.Admin;

public sealed class StatementTextTests
{
    [Fact]
    public void Normalize_collapses_whitespace_and_strips_trailing_semicolons() =>
        Assert.Equal("LOAD MYSQL USERS TO RUNTIME", StatementText.Normalize("  LOAD\tMYSQL\n\n USERS  TO RUNTIME ;; "));

    [Fact]
    public void Split_ignores_semicolons_in_quotes_and_comments()
    {
        var statements = StatementText.Split(
            "UPDATE t SET a='x;y'; -- note; here\nSELECT \"a;b\" /* c;d */; ;SELECT 'it''s;'");
        Assert.Equal(["UPDATE t SET a='x;y'", "-- note; here\nSELECT \"a;b\" /* c;d */", "SELECT 'it''s;'"], statements);
    }
}
