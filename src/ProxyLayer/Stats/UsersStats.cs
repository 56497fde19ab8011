using Microsoft.Data.Sqlite;
using ProxyLayer.Config;

namespace ProxyLayer.Stats;

/// <summary>Fills <c>stats_mysql_users</c>: each frontend user of the runtime, its open connections and its limit.</summary>
internal static class UsersStats
{
    public const string Table = "stats_mysql_users";

    public static void Write(SqliteConnection connection, RuntimeSnapshot snapshot, IStatsSessions sessions)
    {
        using var table = StatsTableWriter.Replace(connection, Table, "username", "frontend_connections", "frontend_max_connections");
        foreach (var user in snapshot.FrontendUsers.Values.OrderBy(u => u.Username, StringComparer.Ordinal))
            table.Add(user.Username, sessions.UserConnections(user.Username), user.MaxConnections);
    }
}
