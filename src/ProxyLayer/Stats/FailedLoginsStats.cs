using Microsoft.Data.Sqlite;

namespace ProxyLayer.Stats;

/// <summary>Fills <c>stats_mysql_failed_logins</c> (ProxyLayer's own): refused logins per user and client address.</summary>
internal static class FailedLoginsStats
{
    public const string Table = "stats_mysql_failed_logins";

    public static void Write(SqliteConnection connection, LoginFailures failures)
    {
        using var table = StatsTableWriter.Replace(connection, Table, "username", "client_address", "failed_logins", "last_failed_at");
        foreach (var (user, address, count, lastFailed) in failures.Rows().OrderBy(r => r.User, StringComparer.Ordinal).ThenBy(r => r.Address, StringComparer.Ordinal))
            table.Add(user, address, count, lastFailed.ToUnixTimeSeconds());
    }
}
