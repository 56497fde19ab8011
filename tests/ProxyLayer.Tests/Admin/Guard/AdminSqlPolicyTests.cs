using ProxyLayer.Admin.Guard;
using SQLitePCL;

namespace ProxyLayer.Tests.Admin.Guard;

public sealed class AdminSqlPolicyTests
{
    [Theory]
    [InlineData(raw.SQLITE_SELECT, null, null)]
    [InlineData(raw.SQLITE_READ, "mysql_users", "password")]
    [InlineData(raw.SQLITE_INSERT, "mysql_users", null)]
    [InlineData(raw.SQLITE_UPDATE, "global_variables", "variable_value")]
    [InlineData(raw.SQLITE_DELETE, "mysql_servers", null)]
    [InlineData(raw.SQLITE_FUNCTION, null, "json_valid")]
    [InlineData(raw.SQLITE_PRAGMA, "table_info", "mysql_users")]
    [InlineData(raw.SQLITE_PRAGMA, "journal_mode", null)]
    public void Reads_and_row_changes_are_allowed(int action, string? first, string? second) =>
        Assert.Null(AdminSqlPolicy.Refusal(action, first, second));

    [Theory]
    [InlineData(raw.SQLITE_ATTACH, "/tmp/x.db", null)]
    [InlineData(raw.SQLITE_DETACH, "disk", null)]
    [InlineData(raw.SQLITE_PRAGMA, "writable_schema", "1")]
    [InlineData(raw.SQLITE_PRAGMA, "no_such_pragma", null)]
    [InlineData(raw.SQLITE_FUNCTION, null, "load_extension")]
    [InlineData(raw.SQLITE_FUNCTION, null, "FTS3_TOKENIZER")]
    [InlineData(raw.SQLITE_CREATE_VIEW, "v", null)]
    [InlineData(raw.SQLITE_ALTER_TABLE, "main", "mysql_users")]
    [InlineData(raw.SQLITE_TRANSACTION, "BEGIN", null)]
    [InlineData(999, null, null)]
    public void Everything_else_is_refused(int action, string? first, string? second) =>
        Assert.NotNull(AdminSqlPolicy.Refusal(action, first, second));
}
