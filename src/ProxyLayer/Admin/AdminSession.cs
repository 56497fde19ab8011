using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Networking;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;
using ProxyLayer.Sessions;
using ProxyLayer.Stats;

namespace ProxyLayer.Admin;

/// <summary>
/// One connection on the admin interface: the same login as the MySQL interface (against
/// <c>admin-admin_credentials</c> and <c>admin-stats_credentials</c>), then each query is run by the
/// <see cref="AdminStatementExecutor"/> and its result written back as MySQL packets.
/// </summary>
internal sealed partial class AdminSession : IDisposable
{
    private readonly SocketTransport _transport;
    private readonly PacketChannel _client;
    private readonly RuntimeConfigManager _runtime;
    private readonly AdminStatementExecutor _executor;
    private readonly IAdminHostControl _host;
    private readonly ILogger _logger;
    private readonly uint _connectionId;
    private CapabilityFlags _capabilities;

    public AdminSession(SocketTransport transport, uint connectionId, RuntimeConfigManager runtime, AdminStatementExecutor executor,
        IAdminHostControl host, ILogger logger)
    {
        _transport = transport;
        _client = new PacketChannel(transport.Input, transport.Output);
        _connectionId = connectionId;
        _runtime = runtime;
        _executor = executor;
        _host = host;
        _logger = logger;
    }

    /// <summary>The certificate to offer TLS with while <c>admin-have_ssl</c> is true; null: never offered.</summary>
    public FrontendTls? Tls { get; init; }

    /// <summary>The host's RSA key and learnt passwords (admin credentials may be stored hashed too).</summary>
    public required FrontendAuthContext AuthContext { get; init; }

    public void Dispose() => _client.Dispose();

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            var context = await LoginAsync(stopping).ConfigureAwait(false);
            if (context is not null)
                await CommandLoopAsync(context, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or PacketTooLargeException or ObjectDisposedException or InvalidOperationException)
        {
            LogSessionEnded(_connectionId, ex.Message);
        }
        finally
        {
            Dispose();
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<AdminSessionContext?> LoginAsync(CancellationToken cancellationToken)
    {
        var admin = _runtime.Snapshot.Admin;
        var remote = _transport.RemoteEndPoint as IPEndPoint;
        var tls = admin.HaveSsl || admin.SslRequired ? Tls : null;
        // The admin interface greets with mysql_native_password, as ProxySQL's does; stored hashes switch as on 6033.
        var login = await FrontendHandshake.RunAsync(_client, _connectionId, FrontendGreeting.ForAdmin(_runtime.Snapshot.Settings), remote,
            name => FindAccount(admin, name), tls is null ? null : token => StartTlsAsync(tls, token),
            new FrontendAuthSettings(Protocol.AuthPlugins.MysqlNativePassword, AuthContext), cancellationToken).ConfigureAwait(false);
        if (login.IsClosed)
            return null;
        if (login.Error is not null)
        {
            // A malformed login (Detail set) is logged once per burst by the login gate; a refused one once per burst
            // per user and address, and counted in stats_mysql_failed_logins.
            if (login.Detail is null && login.Error.Code != ErrorCodes.AccessDenied)
                LogLoginRefused(login.Error.Message);
            else if (login.Detail is null && AuthContext.Failures.Record(login.Username, remote?.Address.ToString() ?? "") is { } unlogged)
                LogLoginRefused(login.Error.Message + BurstLog.More(unlogged));
            _transport.Login?.Failed(login.Error.Code);
            AuthContext.FailureCounts.Count("admin", login.Detail is not null ? AuthFailureReason.Malformed
                : login.Error.Code == ErrorCodes.AccessDenied ? AuthFailureReason.AccessDenied : AuthFailureReason.Other);
            await SendAsync(new AdminResult.Error(login.Error.Code, login.Error.SqlState, login.Error.Message)).ConfigureAwait(false);
            return null;
        }
        if (admin.SslRequired && !login.OverTls)
        {
            var error = new MySqlError(ErrorCodes.AccessDenied, "28000",
                $"Access denied for user '{login.Username}': the admin interface requires SSL (admin-ssl_required)");
            LogLoginRefused(error.Message);
            AuthContext.FailureCounts.Count("admin", AuthFailureReason.SslRequired);
            _transport.Login?.Failed(error.Code);
            await SendAsync(new AdminResult.Error(error.Code, error.SqlState, error.Message)).ConfigureAwait(false);
            return null;
        }
        // As in ProxySQL: the well-known default accounts may only be used from this host.
        if (login.Username is "admin" or "stats" && remote is not null && !IPAddress.IsLoopback(remote.Address))
        {
            await SendAsync(new AdminResult.Error(ErrorCodes.ConnectionCountError, "42000",
                $"User '{login.Username}' can only connect locally")).ConfigureAwait(false);
            return null;
        }
        _capabilities = login.Capabilities;
        var statsOnly = login.Account?.Tag is true;
        await SendAsync(new AdminResult.Ok()).ConfigureAwait(false);
        _transport.Login?.Succeeded();
        LogLoggedIn(_connectionId, login.Username, remote);
        return new AdminSessionContext(login.Username, _connectionId, statsOnly);
    }

    /// <summary>Answers the client's SSL request: the TLS handshake (off the socket thread: it costs CPU), then the login continues.</summary>
    private async ValueTask StartTlsAsync(FrontendTls tls, CancellationToken cancellationToken)
    {
        await tls.AcceptAsync(_transport, "admin client", cancellationToken).ConfigureAwait(false);
        _client.SwitchPipes(_transport.Input, _transport.Output);
    }

    private static FrontendAccount? FindAccount(AdminVariables admin, string name)
    {
        foreach (var credential in admin.AdminCredentials)
        {
            if (credential.Username == name)
                return new FrontendAccount(name, credential.Password, false);
        }
        foreach (var credential in admin.StatsCredentials)
        {
            if (credential.Username == name)
                return new FrontendAccount(name, credential.Password, true);
        }
        return null;
    }

    private async Task CommandLoopAsync(AdminSessionContext context, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var read = await _client.ReadPayloadAsync(stopping).ConfigureAwait(false);
            if (read.IsClosed || read.Payload.IsEmpty)
                return;
            if (_client.FirstSequenceId != 0)
            {
                // As on the MySQL interface (and MariaDB): a command not numbered 0 gets 1156, numbered 0, then the close.
                _client.NextSequenceId = 0;
                var error = FrontendHandshake.PacketsOutOfOrder;
                await SendAsync(new AdminResult.Error(error.Code, error.SqlState, error.Message)).ConfigureAwait(false);
                return;
            }
            var payload = read.Payload.Span;
            switch ((CommandKind)payload[0])
            {
                case CommandKind.Quit:
                    return;
                case CommandKind.Ping:
                case CommandKind.InitDb:
                case CommandKind.ResetConnection:
                case CommandKind.SetOption:
                    await SendAsync(new AdminResult.Ok()).ConfigureAwait(false);
                    break;
                case CommandKind.Query when payload[1..].Contains((byte)0):
                    // Microsoft.Data.Sqlite never finishes preparing a text with a NUL in it, and holds the admin lock
                    // meanwhile (found by scripts/fuzz.sh): no admin statement can contain one, so it is refused here.
                    await SendAsync(AdminResult.Error.Admin("the statement contains a NUL byte")).ConfigureAwait(false);
                    break;
                case CommandKind.Query:
                    var sql = Encoding.UTF8.GetString(payload[1..]);
                    // Admin SQL runs synchronously (SQLite, regex compilation on LOAD): off the socket engine's thread,
                    // which with inline completions (see Program) also carries client sessions.
                    await Task.Yield();
                    var result = _executor.Execute(sql, context);
                    LogStatement(_connectionId, sql, result.GetType().Name);
                    await SendAsync(result).ConfigureAwait(false);
                    if (result is AdminResult.Shutdown or AdminResult.Restart)
                        _host.Handle(result);
                    break;
                default:
                    await SendAsync(new AdminResult.Error(ErrorCodes.UnknownCommand, "08S01",
                        $"Command 0x{payload[0]:X2} is not supported on the admin interface")).ConfigureAwait(false);
                    break;
            }
        }
    }

    private ValueTask SendAsync(AdminResult result)
    {
        var status = ServerStatusFlags.Autocommit;
        switch (result)
        {
            case AdminResult.Rows rows:
                TextResultSetWriter.Write(_client, _capabilities, rows.Columns, rows.Values, status);
                break;
            case AdminResult.Ok ok:
                _client.WritePayload((ok, _capabilities, status), static (w, s) =>
                    OkPacket.Write(w, (ulong)Math.Max(0, s.ok.AffectedRows), 0, s.status, (ushort)Math.Min(ushort.MaxValue, s.ok.Warnings.Count), s.Item2, s.ok.Info));
                break;
            case AdminResult.Error error:
                _client.WritePayload(error, static (w, e) => ErrorPacket.Write(w, e.Code, e.SqlState, e.Message));
                break;
            case AdminResult.Shutdown or AdminResult.Restart:
                _client.WritePayload((_capabilities, status), static (w, s) => OkPacket.Write(w, 0, 0, s.status, 0, s._capabilities));
                break;
        }
        return _client.FlushAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "admin session {Id}: {User} logged in from {Remote}")]
    private partial void LogLoggedIn(uint id, string user, IPEndPoint? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin login refused: {Reason}")]
    private partial void LogLoginRefused(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "admin session {Id}: {Sql} -> {Result}")]
    private partial void LogStatement(uint id, string sql, string result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "admin session {Id} ended: {Reason}")]
    private partial void LogSessionEnded(uint id, string reason);
}

/// <summary>What an admin session asks of the host after answering: <c>PROXYSQL SHUTDOWN</c> / <c>RESTART</c>.</summary>
internal interface IAdminHostControl
{
    void Handle(AdminResult command);
}
