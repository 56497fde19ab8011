using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class StatementClassifierTests
{
    public static TheoryData<string, string> FirstKeywords => new()
    {
        { "SELECT 1", nameof(StatementKind.Select) },
        { "select 1", nameof(StatementKind.Select) },
        { "SET autocommit=0", nameof(StatementKind.Set) },
        { "USE db", nameof(StatementKind.Use) },
        { "BEGIN", nameof(StatementKind.Begin) },
        { "START TRANSACTION", nameof(StatementKind.Begin) },
        { "COMMIT", nameof(StatementKind.Commit) },
        { "ROLLBACK", nameof(StatementKind.Rollback) },
        { "LOCK TABLES t READ", nameof(StatementKind.Lock) },
        { "UNLOCK TABLES", nameof(StatementKind.Unlock) },
        { "FLUSH TABLES", nameof(StatementKind.Flush) },
        { "CREATE TABLE t (a int)", nameof(StatementKind.Create) },
        { "PREPARE s FROM 'SELECT 1'", nameof(StatementKind.Prepare) },
        { "SHOW TABLES", nameof(StatementKind.Show) },
        { "INSERT INTO t VALUES (1)", nameof(StatementKind.Other) },
        { "", nameof(StatementKind.Other) },
        { "   \t\r\n  SELECT 1", nameof(StatementKind.Select) },
        { "/* c */ SELECT 1", nameof(StatementKind.Select) },
        { "/**/SELECT 1", nameof(StatementKind.Select) },
        { "-- c\nSELECT 1", nameof(StatementKind.Select) },
        { "# c\nSELECT 1", nameof(StatementKind.Select) },
        { "/* SET */ -- UPDATE\n# INSERT\n  SHOW DATABASES", nameof(StatementKind.Show) },
        { "/*!40101 SET NAMES utf8 */", nameof(StatementKind.Set) },
        { "(SELECT 1)", nameof(StatementKind.Select) },
    };

    [Theory]
    [MemberData(nameof(FirstKeywords))]
    public void Classify_FindsFirstKeyword(string sql, string expected) =>
        Assert.Equal(Enum.Parse<StatementKind>(expected), StatementClassifier.Classify(sql).Kind);

    [Fact]
    public void Classify_ExecutableComment_IsNotSkipped()
    {
        var info = StatementClassifier.Classify("/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */");
        Assert.Equal(StatementKind.Set, info.Kind);
        Assert.True(info.UsesUserVariables);
    }

    [Theory]
    [InlineData("SELECT @a")]
    [InlineData("SET @a=1")]
    [InlineData("SELECT @a := 1")]
    [InlineData("SELECT 'it''s', @a")]
    [InlineData("SELECT 'it\\'s', @a")]
    [InlineData("SELECT @@sql_mode, @a")]
    public void Classify_UserVariables(string sql) => Assert.True(StatementClassifier.Classify(sql).UsesUserVariables);

    [Theory]
    [InlineData("SELECT @@sql_mode")]
    [InlineData("SELECT @@SESSION.sql_mode")]
    [InlineData("SET @@session.wait_timeout = 10")]
    [InlineData("SELECT 'a@b'")]
    [InlineData("SELECT \"a@b\"")]
    [InlineData("SELECT `x@y`")]
    [InlineData("SELECT `x``@y`")]
    [InlineData("SELECT /* @a */ 1")]
    [InlineData("SELECT 1 -- @a")]
    [InlineData("SELECT 1 # @a")]
    [InlineData("SELECT 'it\\'s @a'")]
    [InlineData("SELECT 'it''s @a'")]
    [InlineData("SELECT 1")]
    public void Classify_NoUserVariables(string sql) => Assert.False(StatementClassifier.Classify(sql).UsesUserVariables);

    [Theory]
    [InlineData("SELECT @@identity")]
    [InlineData("SELECT @@IDENTITY")]
    [InlineData("SELECT @@session.identity")]
    [InlineData("SELECT @@last_insert_id")]
    [InlineData("SELECT LAST_INSERT_ID()")]
    [InlineData("select last_insert_id ()")]
    public void Classify_ReadsLastInsertId(string sql)
    {
        var info = StatementClassifier.Classify(sql);
        Assert.True(info.ReadsLastInsertId);
        Assert.False(info.UsesUserVariables);
    }

    [Theory]
    [InlineData("SELECT @@sql_mode")]
    [InlineData("SELECT @@identity_x")]
    [InlineData("SELECT 'LAST_INSERT_ID()'")]
    [InlineData("SELECT 1 /* LAST_INSERT_ID() */")]
    public void Classify_DoesNotReadLastInsertId(string sql) => Assert.False(StatementClassifier.Classify(sql).ReadsLastInsertId);

    [Theory]
    [InlineData("CREATE TEMPORARY TABLE t (a int)", true)]
    [InlineData("create temporary table t (a int)", true)]
    [InlineData("CREATE /* c */ TEMPORARY TABLE t (a int)", true)]
    [InlineData("CREATE OR REPLACE TEMPORARY TABLE t (a int)", true)]
    [InlineData("CREATE TABLE t (a int)", false)]
    [InlineData("DROP TEMPORARY TABLE t", false)]
    [InlineData("SELECT 'CREATE TEMPORARY TABLE'", false)]
    public void Classify_TemporaryTable(string sql, bool expected) =>
        Assert.Equal(expected, StatementClassifier.Classify(sql).CreatesTemporaryTable);

    [Theory]
    [InlineData("LOCK TABLES t READ", true)]
    [InlineData("LOCK TABLE t WRITE", true)]
    [InlineData("lock tables t1 read, t2 write", true)]
    [InlineData("FLUSH TABLES WITH READ LOCK", true)]
    [InlineData("flush tables t1, t2 with read lock", true)]
    [InlineData("FLUSH TABLES", false)]
    [InlineData("SELECT * FROM t LOCK IN SHARE MODE", false)]
    [InlineData("SELECT lock, tables FROM t", false)]
    [InlineData("SELECT 1 FROM t WITH READ LOCK", false)]
    [InlineData("UNLOCK TABLES", false)]
    public void Classify_LocksTables(string sql, bool expected) =>
        Assert.Equal(expected, StatementClassifier.Classify(sql).LocksTables);

    [Theory]
    [InlineData("UNLOCK TABLES", true)]
    [InlineData("unlock tables;", true)]
    [InlineData("UNLOCK TABLE", true)]
    [InlineData("LOCK TABLES t READ", false)]
    [InlineData("SELECT 'UNLOCK TABLES'", false)]
    public void Classify_UnlocksTables(string sql, bool expected) =>
        Assert.Equal(expected, StatementClassifier.Classify(sql).UnlocksTables);

    [Theory]
    [InlineData("SELECT GET_LOCK('a', 10)", true)]
    [InlineData("select get_lock ('a', 10)", true)]
    [InlineData("SELECT 'GET_LOCK('", false)]
    [InlineData("SELECT RELEASE_LOCK('a')", false)]
    [InlineData("SELECT IS_FREE_LOCK('a')", false)]
    public void Classify_NamedLock(string sql, bool expected) =>
        Assert.Equal(expected, StatementClassifier.Classify(sql).GetsNamedLock);

    [Theory]
    [InlineData("SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1", true)]
    [InlineData("select sql_calc_found_rows a from t", true)]
    [InlineData("SELECT 'SQL_CALC_FOUND_ROWS'", false)]
    [InlineData("SELECT FOUND_ROWS()", false)]
    public void Classify_CalcFoundRows(string sql, bool expected) =>
        Assert.Equal(expected, StatementClassifier.Classify(sql).CalcFoundRows);

    [Theory]
    [InlineData("SELECT 1; SELECT 2", true)]
    [InlineData("SELECT 1;SELECT 2", true)]
    [InlineData("SET a=1; SET b=2;", true)]
    [InlineData("SELECT 1", false)]
    [InlineData("SELECT 1;", false)]
    [InlineData("SELECT 1;  \n", false)]
    [InlineData("SELECT 1; -- done", false)]
    [InlineData("SELECT 1; /* done */", false)]
    [InlineData("SELECT ';'", false)]
    [InlineData("SELECT ';SELECT 2'", false)]
    [InlineData("SELECT `a;b` FROM t", false)]
    [InlineData("SELECT 1 /* ; SELECT 2 */", false)]
    [InlineData("SELECT 1 -- ; SELECT 2", false)]
    [InlineData("SELECT 'it\\'s;'", false)]
    [InlineData("SELECT 'it''s;'", false)]
    [InlineData("SELECT 'it\\'s'; SELECT 2", true)]
    [InlineData("SELECT 'it''s'; SELECT 2", true)]
    public void Classify_MultiStatement(string sql, bool expected) =>
        Assert.Equal(expected, StatementClassifier.Classify(sql).IsMultiStatement);

    [Fact]
    public void Classify_PlainSelect_HasNoFlags()
    {
        var info = StatementClassifier.Classify("SELECT a, b FROM t WHERE c = 'x@y;' AND d = `e@f`");
        Assert.Equal(new StatementInfo { Kind = StatementKind.Select }, info);
    }

    [Fact]
    public void Classify_UnterminatedQuote_DoesNotThrow()
    {
        var info = StatementClassifier.Classify("SELECT 'abc @a; SELECT 2");
        Assert.Equal(StatementKind.Select, info.Kind);
        Assert.False(info.UsesUserVariables);
        Assert.False(info.IsMultiStatement);
    }

    [Theory]
    [InlineData("'abc' rest", 0, 5)]
    [InlineData("'it\\'s' rest", 0, 7)]
    [InlineData("'it''s' rest", 0, 7)]
    [InlineData("`a\\` rest", 0, 4)]
    [InlineData("`a``b` rest", 0, 6)]
    [InlineData("\"a\\\"b\" rest", 0, 6)]
    [InlineData("'abc", 0, 4)]
    [InlineData("'abc\\", 0, 5)]
    [InlineData("x 'y' z", 2, 5)]
    public void SkipQuoted_ReturnsIndexAfterClosingQuote(string sql, int start, int expected) =>
        Assert.Equal(expected, StatementClassifier.SkipQuoted(sql, start));
}
