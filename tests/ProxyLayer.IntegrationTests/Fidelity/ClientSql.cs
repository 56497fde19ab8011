using MySqlConnector;

namespace ProxyLayer.IntegrationTests.Fidelity;

/// <summary>One statement through a client connection, for the fidelity tests.</summary>
internal static class ClientSql
{
    public static async Task<object?> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
