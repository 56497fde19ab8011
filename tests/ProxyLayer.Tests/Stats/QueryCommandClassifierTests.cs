using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Stats;

public sealed class QueryCommandClassifierTests
{
    [Theory]
    [InlineData("SELECT 1", "SELECT")]
    [InlineData("  select * from t for update", "SELECT_FOR_UPDATE")]
    [InlineData("SELECT c FROM sbtest1 WHERE id=5 FOR UPDATE SKIP LOCKED", "SELECT_FOR_UPDATE")]
    [InlineData("SELECT c FROM sbtest1 WHERE id=5", "SELECT")]
    [InlineData("SELECT 'update' FROM t", "SELECT")]
    [InlineData("/* hint */ (SELECT 1) UNION (SELECT 2)", "SELECT")]
    [InlineData("-- c\nINSERT INTO t VALUES (1)", "INSERT")]
    [InlineData("# c\nupdate t set a=1", "UPDATE")]
    [InlineData("DELETE FROM t", "DELETE")]
    [InlineData("REPLACE INTO t VALUES (1)", "REPLACE")]
    [InlineData("SET autocommit=0", "SET")]
    [InlineData("USE shop", "USE")]
    [InlineData("BEGIN", "BEGIN")]
    [InlineData("START TRANSACTION READ ONLY", "START_TRANSACTION")]
    [InlineData("COMMIT", "COMMIT")]
    [InlineData("ROLLBACK TO SAVEPOINT a", "ROLLBACK")]
    [InlineData("SAVEPOINT a", "SAVEPOINT")]
    [InlineData("SHOW TABLES", "SHOW")]
    [InlineData("SHOW TABLE STATUS", "SHOW_TABLE_STATUS")]
    [InlineData("CREATE TEMPORARY TABLE t (a int)", "CREATE_TEMPORARY")]
    [InlineData("CREATE UNIQUE INDEX i ON t (a)", "CREATE_INDEX")]
    [InlineData("CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE_VIEW")]
    [InlineData("DROP TABLE t", "DROP_TABLE")]
    [InlineData("DROP PREPARE s", "DEALLOCATE")]
    [InlineData("ALTER TABLE t ADD c int", "ALTER_TABLE")]
    [InlineData("TRUNCATE t", "TRUNCATE_TABLE")]
    [InlineData("LOCK TABLES t WRITE", "LOCK_TABLE")]
    [InlineData("UNLOCK TABLES", "UNLOCK_TABLES")]
    [InlineData("DESC t", "DESCRIBE")]
    [InlineData("RESET SLAVE", "RESET_SLAVE")]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", "SELECT")]
    [InlineData("HANDLER t OPEN", "UNKNOWN")]
    [InlineData("", "UNKNOWN")]
    [InlineData("/* unterminated", "UNKNOWN")]
    public void Names_the_command_from_the_first_keywords(string query, string expected) =>
        Assert.Equal(expected, QueryCommandNames.Name(QueryCommandClassifier.Classify(query)));
}
