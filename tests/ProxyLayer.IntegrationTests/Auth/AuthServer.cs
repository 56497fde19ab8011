using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>Accounts on the shared test server for the authentication tests, each with its own name.</summary>
internal static class AuthServer
{
    /// <summary>A mysql_native_password account with rights on testdb.</summary>
    public static Task CreateNativeUserAsync(MariaDbServer server, string user, string password) =>
        server.ExecuteAsync($"CREATE OR REPLACE USER '{user}'@'%' IDENTIFIED BY '{password}'; GRANT ALL PRIVILEGES ON testdb.* TO '{user}'@'%'");

    /// <summary>An account on MariaDB's own ed25519 plugin (installed here if it is not yet).</summary>
    public static async Task CreateEd25519UserAsync(MariaDbServer server, string user, string password)
    {
        await server.ExecuteAsync("INSTALL PLUGIN IF NOT EXISTS ed25519 SONAME 'auth_ed25519'");
        await server.ExecuteAsync(
            $"CREATE OR REPLACE USER '{user}'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('{password}'); GRANT ALL PRIVILEGES ON testdb.* TO '{user}'@'%'");
    }

    /// <summary>What the server stores for an account (for ed25519: the public key in base64).</summary>
    public static async Task<string> StoredAuthenticationStringAsync(MariaDbServer server, string user) =>
        (string)(await server.QueryScalarAsync($"SELECT JSON_VALUE(Priv, '$.authentication_string') FROM mysql.global_priv WHERE User = '{user}'"))!;
}
