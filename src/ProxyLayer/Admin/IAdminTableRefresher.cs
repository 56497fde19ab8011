using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>
/// The runtime's hook to regenerate <c>stats</c> and <c>monitor</c> tables on read, as ProxySQL does. The executor
/// calls it with the store's lock held, before running a statement whose text names one or more of those tables;
/// the implementation writes rows into them (e.g. <c>DELETE FROM stats.stats_mysql_connection_pool</c>, then
/// INSERTs) on the connection it is given, and must not keep the connection.
/// </summary>
internal interface IAdminTableRefresher
{
    /// <param name="tables">The stats/monitor table names the statement mentions, e.g. <c>stats_mysql_connection_pool_reset</c>.</param>
    void Refresh(SqliteConnection connection, IReadOnlySet<string> tables);
}
