using System.Globalization;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>Per-test tables and backend-side observations, done directly on the server (not through the proxy).</summary>
internal static class Scratch
{
    /// <summary>Creates <c>testdb.&lt;prefix&gt;_&lt;random&gt;</c> with <paramref name="columns"/>; returns its qualified name.</summary>
    public static async Task<string> CreateTableAsync(MariaDbServer server, string prefix, string columns, string engine = "InnoDB")
    {
        var name = $"testdb.{prefix}_{Guid.NewGuid():N}"[..(7 + prefix.Length + 1 + 12)];
        await server.ExecuteAsync($"CREATE TABLE {name} ({columns}) ENGINE={engine}");
        return name;
    }

    public static async Task<long> CountAsync(MariaDbServer server, string sql) =>
        Convert.ToInt64(await server.QueryScalarAsync(sql), CultureInfo.InvariantCulture);

    /// <summary>Connections the server has open for <paramref name="user"/> (the proxy's backend connections).</summary>
    public static Task<long> BackendConnectionsAsync(MariaDbServer server, string user) =>
        CountAsync(server, $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '{user}'");

    /// <summary>Creates (once) an account that only the test at hand uses, so connection counts are its own.</summary>
    public static async Task CreateUserAsync(MariaDbServer server, string user, string password)
    {
        await server.ExecuteAsync(
            $"CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY '{password}'; GRANT ALL PRIVILEGES ON testdb.* TO '{user}'@'%'");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; returns its last value.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(100);
        }
    }
}
