using System.Collections.Concurrent;
using System.Globalization;
using MySqlConnector;

namespace ProxyLayer.Monitor;

/// <summary>
/// Probes real servers with MySqlConnector, with its pooling off: the monitor keeps its own idle connection per server
/// and credentials, so a ping measures the server rather than a handshake, and a connection that failed or timed out
/// is thrown away instead of being handed to the next check.
/// <para>
/// A check's cancellation token never reaches a MySqlConnector command. Cancelling one makes MySqlConnector send
/// <c>KILL QUERY</c> over a new connection and later <c>DO SLEEP(0)</c>, both with synchronous I/O; with inline
/// socket completions that I/O can run on a socket engine's thread and wait for that same thread forever, which
/// froze every client socket of the engine. A check that runs out of time abandons its connection instead: it is
/// closed once the command ends, at the latest after <see cref="CommandTimeoutSeconds"/> (MySqlConnector then
/// closes the socket without a KILL, since <c>CancellationTimeout=-1</c>).
/// </para>
/// </summary>
internal sealed class MySqlServerProbe : IServerProbe, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<MySqlConnection>> _idle = new(StringComparer.Ordinal);

    public async ValueTask<ProbeResult> ConnectAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenAsync(ConnectionString(target), cancellationToken).ConfigureAwait(false);
            // The greeting's version as sent (MySqlConnector keeps the original string): the proxy's own greeting follows it.
            var version = connection.ServerVersion;
            await connection.DisposeAsync().ConfigureAwait(false);
            return new ProbeResult((ProbeFailure?)null) { ServerVersion = version };
        }
        catch (Exception ex) when (IsProbeFailure(ex))
        {
            return new ProbeResult(Classify(ex));
        }
    }

    public async ValueTask<ProbeResult> PingAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var failure = await UseAsync(target, async connection =>
        {
            if (!await connection.PingAsync(CancellationToken.None).ConfigureAwait(false))
                throw new InvalidOperationException("ping failed: the server did not answer COM_PING");
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return failure.Failure is null ? ProbeResult.Success : new ProbeResult(failure.Failure);
    }

    public async ValueTask<ReadOnlyResult> ReadOnlyAsync(ProbeTarget target, string checkType, CancellationToken cancellationToken)
    {
        var (value, failure) = await UseAsync(target, async connection =>
        {
            await using var command = new MySqlCommand(ReadOnlyQuery.For(checkType), connection);
            return ReadOnlyQuery.IsReadOnly(await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return failure is null ? ReadOnlyResult.Of(value) : ReadOnlyResult.Failed(failure);
    }

    public async ValueTask<LagResult> ReplicationLagAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (value, failure) = await UseAsync(target, async connection =>
        {
            await using var command = new MySqlCommand("SHOW SLAVE STATUS", connection);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                return LagResult.NotReplica;
            var column = reader.GetOrdinal("Seconds_Behind_Master");
            return LagResult.Replica(reader.IsDBNull(column) ? null : Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture));
        }, cancellationToken).ConfigureAwait(false);
        return failure is null ? value! : LagResult.Failed(failure);
    }

    public async ValueTask<Galera.GaleraCheckResult> GaleraAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (value, failure) = await UseAsync(target, async connection =>
        {
            await using var command = new MySqlCommand(Galera.GaleraStatusQuery.For(connection.ServerVersion), connection);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (reader.FieldCount != Galera.GaleraStatusQuery.Columns || !await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                throw new InvalidOperationException("the Galera check returned no row or the wrong columns");
            var values = new string?[Galera.GaleraStatusQuery.Columns];
            for (var i = 0; i < values.Length; i++)
                values[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            return Galera.GaleraStatusQuery.Parse(values);
        }, cancellationToken).ConfigureAwait(false);
        return failure is null ? Galera.GaleraCheckResult.Of(value!) : Galera.GaleraCheckResult.Failed(failure);
    }

    /// <summary>
    /// MariaDB: <c>gtid_current_pos</c> is what the server has, whether replicated (gtid_slave_pos) or written
    /// here (gtid_binlog_pos), so a writer that is also a reader counts as caught up with its own writes. MySQL:
    /// <c>@@global.gtid_executed</c> (UUID:interval sets) means the same. The flavor is the connection's server version.
    /// </summary>
    public async ValueTask<GtidPositionResult> GtidPositionAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (value, failure) = await UseAsync(target, async connection =>
        {
            await using var command = new MySqlCommand(Gtid.GtidFlavors.PositionQuery(Gtid.GtidFlavors.Of(connection.ServerVersion)), connection);
            return Convert.ToString(await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "";
        }, cancellationToken).ConfigureAwait(false);
        return failure is null ? new GtidPositionResult(value, null) : GtidPositionResult.Failed(failure);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bag in _idle.Values)
        {
            while (bag.TryTake(out var connection))
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on an idle connection (or a new one); keeps it only if the work succeeded. The work
    /// gets no token to pass on (see the class comment): it is awaited up to <paramref name="cancellationToken"/>.
    /// </summary>
    private async ValueTask<(T? Value, ProbeFailure? Failure)> UseAsync<T>(ProbeTarget target,
        Func<MySqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connectionString = ConnectionString(target);
        var idle = _idle.GetOrAdd(connectionString, static _ => []);
        MySqlConnection? connection = null;
        try
        {
            if (!idle.TryTake(out connection))
                connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
            var running = work(connection);
            T value;
            try
            {
                value = await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _ = DisposeWhenDoneAsync(running, connection);
                connection = null;
                throw;
            }
            idle.Add(connection);
            return (value, null);
        }
        catch (Exception ex) when (IsProbeFailure(ex))
        {
            // Closing a connection to a hung server must not hold up the check: let it finish in the background.
            if (connection is not null)
                _ = connection.DisposeAsync().AsTask();
            return (default, Classify(ex));
        }
    }

    private static async Task DisposeWhenDoneAsync(Task running, MySqlConnection connection)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsProbeFailure(ex))
        {
            // the check has already been reported as timed out
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<MySqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            _ = connection.DisposeAsync().AsTask();
            throw;
        }
    }

    /// <summary>How long an abandoned check's command may keep its connection before MySqlConnector closes it.</summary>
    private const int CommandTimeoutSeconds = 30;

    private static string ConnectionString(ProbeTarget target)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = target.Server.Host,
            Port = (uint)target.Server.Port,
            UserID = target.Username,
            Password = target.Password,
            Pooling = false,
            SslMode = MySqlSslMode.None,
            AllowPublicKeyRetrieval = true,
            // The caller's token enforces the real (millisecond) timeout; these only stop a forgotten call hanging forever.
            ConnectionTimeout = 30,
            DefaultCommandTimeout = CommandTimeoutSeconds,
            // On cancellation, drop the connection at once instead of sending KILL QUERY over a new one to a hung server.
            CancellationTimeout = -1,
        };
        if (target.Tls is { } tls)
        {
            // As the data path: TLS required; the certificate checked only against a configured CA.
            builder.SslMode = tls.Ca.Length > 0 ? MySqlSslMode.VerifyCA : MySqlSslMode.Required;
            builder.SslCa = tls.Ca;
            builder.SslCert = tls.Cert;
            builder.SslKey = tls.Key;
        }
        return builder.ConnectionString;
    }

    private static bool IsProbeFailure(Exception ex) =>
        ex is MySqlException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException or IOException;

    private static ProbeFailure Classify(Exception ex) => ex switch
    {
        OperationCanceledException => new ProbeFailure(ProbeFailureKind.Timeout, "timeout check: " + ex.Message),
        MySqlException { ErrorCode: MySqlErrorCode.AccessDenied } => new ProbeFailure(ProbeFailureKind.AccessDenied, ex.Message),
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } when ex.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase)
            => new ProbeFailure(ProbeFailureKind.Timeout, "timeout on creating new connection: " + ex.Message),
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => new ProbeFailure(ProbeFailureKind.Connection, ex.Message),
        MySqlException { Number: > 0 and < 2000 } => new ProbeFailure(ProbeFailureKind.Query, ex.Message),
        _ => new ProbeFailure(ProbeFailureKind.Connection, ex.Message),
    };
}
