using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class SetStatementParserTests
{
    private static void AssertVariables(string sql, params (string Name, string Value)[] expected)
    {
        var set = SetStatementParser.Parse(sql);
        Assert.Equal(SetStatementKind.SessionVariables, set.Kind);
        Assert.Null(set.CharacterSetStatement);
        Assert.Equal(expected, set.Variables.Select(v => (v.Key, v.Value)).ToArray());
    }

    [Fact]
    public void Parse_QuotedValue() => AssertVariables("SET time_zone='+00:00'", ("time_zone", "'+00:00'"));

    [Fact]
    public void Parse_SessionKeyword_SeveralVariables() =>
        AssertVariables("SET SESSION sql_mode = 'ANSI', autocommit=0", ("sql_mode", "'ANSI'"), ("autocommit", "0"));

    [Theory]
    [InlineData("SET @@session.wait_timeout=100")]
    [InlineData("SET @@SESSION.wait_timeout=100")]
    [InlineData("SET @@local.wait_timeout=100")]
    [InlineData("SET @@wait_timeout = 100")]
    [InlineData("SET LOCAL wait_timeout := 100")]
    [InlineData("SET wait_timeout:=100")]
    [InlineData("set session WAIT_TIMEOUT = 100")]
    [InlineData("  SET   wait_timeout\t=\n100  ")]
    public void Parse_SessionScopes(string sql) => AssertVariables(sql, ("wait_timeout", "100"));

    [Fact]
    public void Parse_LocalColonEquals() => AssertVariables("SET LOCAL x := 5", ("x", "5"));

    [Theory]
    [InlineData("SET autocommit=0;")]
    [InlineData("SET autocommit=0 ; ")]
    [InlineData("SET autocommit=0;;")]
    public void Parse_TrailingSemicolonTolerated(string sql) => AssertVariables(sql, ("autocommit", "0"));

    [Theory]
    [InlineData("SET SQL_MODE = 'ANSI'", "sql_mode", "'ANSI'")]
    [InlineData("SET x = DEFAULT", "x", "DEFAULT")]
    [InlineData("SET x = ON", "x", "ON")]
    [InlineData("SET x = -1", "x", "-1")]
    [InlineData("SET x = 1.5", "x", "1.5")]
    [InlineData("SET x = \"a b\"", "x", "\"a b\"")]
    [InlineData("SET x = 'it\\'s'", "x", "'it\\'s'")]
    [InlineData("SET x = 'it''s'", "x", "'it''s'")]
    [InlineData("SET x = 'a,b'", "x", "'a,b'")]
    [InlineData("SET x = ';'", "x", "';'")]
    public void Parse_Literals(string sql, string name, string value) => AssertVariables(sql, (name, value));

    [Theory]
    [InlineData("SET NAMES utf8mb4", "SET NAMES utf8mb4")]
    [InlineData("SET NAMES utf8mb4;", "SET NAMES utf8mb4")]
    [InlineData("SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'", "SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'")]
    [InlineData("SET NAMES utf8mb4 COLLATE utf8mb4_bin", "SET NAMES utf8mb4 COLLATE utf8mb4_bin")]
    [InlineData("SET CHARACTER SET latin1", "SET CHARACTER SET latin1")]
    [InlineData("SET CHARSET latin1", "SET CHARSET latin1")]
    [InlineData("set names utf8", "SET names utf8")]
    public void Parse_CharacterSet(string sql, string expected)
    {
        var set = SetStatementParser.Parse(sql);
        Assert.Equal(SetStatementKind.CharacterSet, set.Kind);
        Assert.Equal(expected, set.CharacterSetStatement);
        Assert.Empty(set.Variables);
    }

    [Theory]
    [InlineData("SET NAMES utf8mb4, autocommit = 0")]
    [InlineData("SET NAMES @cs")]
    [InlineData("SET NAMES utf8mb4 -- c")]
    [InlineData("SET NAMES utf8mb4 /* c */")]
    public void Parse_ComplexCharacterSet_IsUntrackable(string sql) =>
        Assert.Equal(SetStatementKind.Untrackable, SetStatementParser.Parse(sql).Kind);

    [Theory]
    [InlineData("SET GLOBAL max_connections=100")]
    [InlineData("SET @@global.x=1")]
    [InlineData("SET @@GLOBAL.x = 'a'")]
    [InlineData("SET PERSIST max_connections = 100")]
    [InlineData("SET PERSIST_ONLY max_connections = 100")]
    [InlineData("SET @@persist.max_connections = 100")]
    [InlineData("SET @@persist_only.max_connections = 100")]
    [InlineData("SET GLOBAL a = 1, GLOBAL b = 2")]
    [InlineData("SET GLOBAL a = 1, @@global.b = 2")]
    public void Parse_Global(string sql)
    {
        var set = SetStatementParser.Parse(sql);
        Assert.Equal(SetStatementKind.Global, set.Kind);
        Assert.Empty(set.Variables);
    }

    [Theory]
    [InlineData("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")]
    [InlineData("set transaction read only")]
    public void Parse_NextTransaction(string sql) => Assert.Equal(SetStatementKind.NextTransaction, SetStatementParser.Parse(sql).Kind);

    [Theory]
    [InlineData("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")]
    [InlineData("SET LOCAL TRANSACTION READ ONLY")]
    [InlineData("SET @a = 1")]
    [InlineData("SET @a := 1")]
    [InlineData("SET x = 1, @a = 1")]
    [InlineData("SET sql_mode = CONCAT(@@sql_mode, ',ANSI')")]
    [InlineData("SET x = 1 + 2")]
    [InlineData("SET x = @@y")]
    [InlineData("SET x = 'a' 'b'")]
    [InlineData("SET x = _utf8mb4'a'")]
    [InlineData("SET x = 0x1F")]
    [InlineData("SET x = a.b")]
    [InlineData("SET x = 1 -- c")]
    [InlineData("SET x = 1; SET y = 2")]
    [InlineData("SET x = 1,")]
    [InlineData("SET x")]
    [InlineData("SET x =")]
    [InlineData("SET")]
    [InlineData("")]
    [InlineData("SELECT 1")]
    [InlineData("/* c */ SET x = 1")]
    [InlineData("SET `x` = 1")]
    [InlineData("SET GLOBAL a = 1, SESSION b = 2")]
    [InlineData("SET SESSION b = 2, GLOBAL a = 1")]
    [InlineData("SET @@global.a = 1, @@session.b = 2")]
    [InlineData("SET GLOBAL a = 1 + 1")]
    [InlineData("SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED")]
    [InlineData("SET PASSWORD = 'secret'")]
    [InlineData("SET PASSWORD = PASSWORD('secret')")]
    [InlineData("SET PASSWORD FOR 'u'@'%' = 'secret'")]
    [InlineData("SET ROLE r1")]
    [InlineData("SET DEFAULT ROLE ALL TO u")]
    [InlineData("SET STATEMENT max_statement_time = 1 FOR SELECT 1")]
    public void Parse_Untrackable(string sql) => Assert.Equal(SetStatementKind.Untrackable, SetStatementParser.Parse(sql).Kind);
}
