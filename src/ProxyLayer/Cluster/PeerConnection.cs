using System.Globalization;
using MySqlConnector;

namespace ProxyLayer.Cluster;

/// <summary>
/// One admin connection to a peer. Every call is async and no cancellation token ever reaches a MySqlConnector
/// command: cancelling one makes MySqlConnector send KILL QUERY with synchronous I/O, which can block a socket engine
/// thread under inline completions (see Monitor/MySqlServerProbe). A hung peer is left behind instead: the caller stops
/// waiting and disposes the connection, and the command timeout ends the abandoned call.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly MySqlConnection _connection;

    private PeerConnection(MySqlConnection connection) => _connection = connection;

    public static async Task<PeerConnection> OpenAsync(ProxysqlServerConfig peer, string username, string password, TimeSpan timeout)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = peer.Hostname,
            Port = (uint)peer.Port,
            UserID = username,
            Password = password,
            Pooling = false,
            SslMode = MySqlSslMode.Preferred,
            AllowPublicKeyRetrieval = true,
            ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(timeout.TotalSeconds)),
            DefaultCommandTimeout = 30,
            CancellationTimeout = -1,
            // A peer's admin answers every column as text; keep it so (no conversions to guess back from).
            AllowZeroDateTime = true,
        };
        var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(CancellationToken.None).WaitAsync(timeout).ConfigureAwait(false);
            return new PeerConnection(connection);
        }
        catch
        {
            _ = connection.DisposeAsync().AsTask();
            throw;
        }
    }

    /// <summary>Runs <paramref name="sql"/> and returns its rows as text (null for SQL NULL); waits at most <paramref name="timeout"/>.</summary>
    public async Task<ClusterTable> QueryAsync(string sql, TimeSpan timeout)
    {
        return await ReadAsync(sql).WaitAsync(timeout).ConfigureAwait(false);
    }

    public async Task ExecuteAsync(string sql, TimeSpan timeout)
    {
        await using var command = new MySqlCommand(sql, _connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None).WaitAsync(timeout).ConfigureAwait(false);
    }

    private async Task<ClusterTable> ReadAsync(string sql)
    {
        await using var command = new MySqlCommand(sql, _connection);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<IReadOnlyList<string?>>();
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : Text(reader.GetValue(i));
            rows.Add(row);
        }
        return new ClusterTable(columns, rows);
    }

    private static string? Text(object value) => value switch
    {
        string text => text,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
