using MySqlConnector;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>SQL as the rig's admin account over TCP, one fresh connection per call.</summary>
public sealed partial class MariaDbServer
{
    public string AdminConnectionString => ConnectionString(RigCredentials.AdminUser, RigCredentials.AdminPassword);

    public async Task<MySqlConnection> OpenConnectionAsync(
        string user,
        string password,
        string? database = null,
        CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString(user, password, database));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one or more statements; returns the affected row count.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminConnectionAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row, or null for no row or SQL NULL.</summary>
    public async Task<object?> QueryScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminConnectionAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>The first row by column name (SQL NULL as null), or null when there is no row.</summary>
    public async Task<IReadOnlyDictionary<string, object?>?> QueryRowAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAdminConnectionAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < reader.FieldCount; i++)
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }

    private Task<MySqlConnection> OpenAdminConnectionAsync(CancellationToken cancellationToken) =>
        OpenConnectionAsync(RigCredentials.AdminUser, RigCredentials.AdminPassword, null, cancellationToken);
}
