using MySqlConnector;

namespace ProxyLayer.NetFuzz.Fuzzing;

/// <summary>
/// What a fuzz run must not break: a normal client (MySqlConnector) logs in on the MySQL port and reads back the canary
/// row written before the run; an admin logs in on the admin port and runs a query.
/// </summary>
internal sealed class HealthCheck(FuzzTarget mysql, FuzzTarget? admin, string canaryTable)
{
    private readonly string _token = Guid.NewGuid().ToString("N");

    public int Failures { get; private set; }

    /// <summary>Writes the canary row the checks read back.</summary>
    public async Task WriteCanaryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(mysql, cancellationToken);
        await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {canaryTable} (id INT PRIMARY KEY, token VARCHAR(64) NOT NULL)", cancellationToken);
        await ExecuteAsync(connection, $"REPLACE INTO {canaryTable} VALUES (1, '{_token}')", cancellationToken);
    }

    /// <summary>Null if healthy, else what failed (also counted in <see cref="Failures"/>).</summary>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using (var connection = await OpenAsync(mysql, cancellationToken))
            {
                await using var command = new MySqlCommand($"SELECT token FROM {canaryTable} WHERE id = 1", connection);
                if (await command.ExecuteScalarAsync(cancellationToken) is not string token || token != _token)
                    return Fail("the canary row is gone or changed");
            }
            if (admin is not null)
            {
                await using var connection = await OpenAsync(admin, cancellationToken);
                await using var command = new MySqlCommand("SELECT COUNT(*) FROM mysql_users", connection);
                await command.ExecuteScalarAsync(cancellationToken);
            }
            return null;
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            return Fail(ex.Message);
        }
    }

    private string Fail(string reason)
    {
        Failures++;
        return reason;
    }

    private static async Task<MySqlConnection> OpenAsync(FuzzTarget target, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = target.Endpoint.Address.ToString(),
            Port = (uint)target.Endpoint.Port,
            UserID = target.User,
            Password = target.Password,
            SslMode = MySqlSslMode.None,
            Pooling = false,
            ConnectionTimeout = 10,
            DefaultCommandTimeout = 10,
        }.ConnectionString);
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

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
