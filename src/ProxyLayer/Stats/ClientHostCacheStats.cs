using Microsoft.Data.Sqlite;
using ProxyLayer.Networking;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_client_host_cache</c> (addresses with failed logins, <c>mysql-client_host_cache_size</c>) and
/// its <c>_reset</c> twin, which, as in ProxySQL, empties the cache once read: those addresses may try again.
/// <c>last_updated</c> is the last failure in microseconds since the Unix epoch.
/// </summary>
internal static class ClientHostCacheStats
{
    public const string Table = "stats_mysql_client_host_cache";
    public const string ResetTable = Table + "_reset";

    public static void Write(SqliteConnection connection, ClientHostErrorCache cache, bool reset)
    {
        using var table = StatsTableWriter.Replace(connection, reset ? ResetTable : Table, "client_address", "error_count", "last_updated");
        foreach (var (address, errors, lastUpdated) in cache.Snapshot().OrderBy(e => e.Address, StringComparer.Ordinal))
            table.Add(address, errors, lastUpdated);
        if (reset)
            cache.Clear();
    }
}
