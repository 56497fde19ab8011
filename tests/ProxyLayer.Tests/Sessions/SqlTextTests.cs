using System.Text;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class SqlTextTests
{
    [Theory]
    [InlineData("USE db", "db")]
    [InlineData("use db", "db")]
    [InlineData("use `db`;", "db")]
    [InlineData("USE db;", "db")]
    [InlineData("USE db ; ", "db")]
    [InlineData("  \r\n\tUSE\tdb\n", "db")]
    [InlineData("/* c */ USE db", "db")]
    [InlineData("/**/USE db", "db")]
    [InlineData("/* a */ /* b */ use `my_db`", "my_db")]
    [InlineData("USE bäckerei", "bäckerei")]
    public void TryGetUseSchema_Recognises(string sql, string expected)
    {
        Assert.True(SqlText.TryGetUseSchema(Encoding.UTF8.GetBytes(sql), out var schema));
        Assert.Equal(expected, schema);
    }

    [Theory]
    [InlineData("SELECT USER()")]
    [InlineData("USER()")]
    [InlineData("USE")]
    [InlineData("USE ")]
    [InlineData("USE  ;")]
    [InlineData("USE ``")]
    [InlineData("USEdb")]
    [InlineData("USE db; SELECT 1")]
    [InlineData("USE a b")]
    [InlineData("/*!40101 USE db */")]
    [InlineData("/* unterminated USE db")]
    [InlineData("")]
    public void TryGetUseSchema_Rejects(string sql) =>
        Assert.False(SqlText.TryGetUseSchema(Encoding.UTF8.GetBytes(sql), out _));

    [Theory]
    [InlineData("  SELECT 1", "SELECT 1")]
    [InlineData("/* c */ SELECT 1", "SELECT 1")]
    [InlineData("/*!40101 SET x=1 */", "/*!40101 SET x=1 */")]
    [InlineData("/* c", "/* c")]
    [InlineData("", "")]
    public void TrimStart_SkipsSpaceAndComments(string sql, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(SqlText.TrimStart(Encoding.UTF8.GetBytes(sql))));
}
