using System.Text;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;

namespace ProxyLayer.Sessions;

internal sealed partial class ClientSession
{
    private async Task CommandLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            _phase = SessionPhase.Idle;
            var read = await _client.ReadPayloadAsync(stopping).ConfigureAwait(false);
            if (read.IsClosed || read.Payload.IsEmpty)
                return;
            _phase = SessionPhase.ReadingCommand;
            var command = (CommandKind)read.Payload.Span[0];
            switch (command)
            {
                case CommandKind.Quit:
                    return;
                case CommandKind.Ping:
                    await SendOkAsync().ConfigureAwait(false);
                    break;
                case CommandKind.Query:
                case CommandKind.StmtExecute:
                    await ForwardAsync(read.Payload, ResponseKind.ResultSets, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.StmtPrepare:
                    await ForwardAsync(read.Payload, ResponseKind.Prepare, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.StmtFetch:
                    await ForwardAsync(read.Payload, ResponseKind.RowsOnly, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.StmtClose:
                case CommandKind.StmtSendLongData:
                    await ForwardAsync(read.Payload, ResponseKind.None, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.FieldList:
                    await ForwardAsync(read.Payload, ResponseKind.FieldList, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.Statistics:
                    await ForwardAsync(read.Payload, ResponseKind.SinglePacket, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.InitDb:
                case CommandKind.StmtReset:
                case CommandKind.SetOption:
                case CommandKind.ResetConnection:
                case CommandKind.Refresh:
                case CommandKind.Debug:
                    await ForwardAsync(read.Payload, ResponseKind.Simple, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.ChangeUser:
                    if (!await ChangeUserAsync(read.Payload, stopping).ConfigureAwait(false))
                        return;
                    break;
                default:
                    _client.NextSequenceId = (byte)(_client.LastSequenceId + 1);
                    await SendErrorAsync(new MySqlError(ErrorCodes.UnknownCommand, "08S01",
                        $"Unknown or unsupported command 0x{(byte)command:X2} ({command})")).ConfigureAwait(false);
                    break;
            }
            if (_phase == SessionPhase.Closing)
                return;
        }
    }

    /// <summary>Sends a client command to the session's backend connection and relays the answer.</summary>
    private async Task ForwardAsync(ReadOnlyMemory<byte> payload, ResponseKind kind, CancellationToken cancellationToken)
    {
        var firstSequenceId = (byte)(_client.LastSequenceId + 1);
        var backend = await EnsureBackendAsync(cancellationToken).ConfigureAwait(false);
        if (backend is null)
            return;

        _phase = SessionPhase.Forwarding;
        var command = (CommandKind)payload.Span[0];
        var channel = backend.Channel;
        channel.NextSequenceId = 0;
        try
        {
            channel.WritePayload(payload.Span);
            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            await BackendLostAsync(backend, firstSequenceId, sentNothing: true, ex.Message).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            _phase = SessionPhase.Relaying;
            var outcome = await _relay.RelayAsync(channel.Input, _client.Output, kind, backend.Capabilities, cancellationToken).ConfigureAwait(false);
            switch (outcome.End)
            {
                case RelayEnd.Completed:
                    AfterResponse(backend, command, payload.Span, ref outcome);
                    return;
                case RelayEnd.ClientLost:
                    backend.Abort();
                    _phase = SessionPhase.Closing;
                    return;
                case RelayEnd.BackendLost:
                    if (outcome.MidPacket)
                    {
                        // Part of a packet reached the client: the stream cannot be repaired, only closed.
                        backend.MarkBroken();
                        LogBackendLost(ConnectionId, backend.Server.ToString(), "in the middle of a packet; closing the client connection");
                        _phase = SessionPhase.Closing;
                        return;
                    }
                    var sequenceId = outcome.BytesForwarded == 0 ? firstSequenceId : (byte)(outcome.LastSequenceId + 1);
                    await BackendLostAsync(backend, sequenceId, sentNothing: outcome.BytesForwarded == 0, "it closed the connection").ConfigureAwait(false);
                    return;
                case RelayEnd.LocalInfileRequested:
                    _phase = SessionPhase.RelayingLocalInfile;
                    if (!await RelayLocalInfileAsync(backend, cancellationToken).ConfigureAwait(false))
                        return;
                    kind = ResponseKind.ResultSets;
                    continue;
            }
        }
    }

    private void AfterResponse(BackendConnection backend, CommandKind command, ReadOnlySpan<byte> payload, ref RelayOutcome outcome)
    {
        if (outcome.HasStatus)
        {
            _status = outcome.Status & (ServerStatusFlags.InTransaction | ServerStatusFlags.Autocommit | ServerStatusFlags.InTransactionReadOnly);
            backend.Status = outcome.Status;
        }
        backend.Server.OnQuery(payload.Length, outcome.BytesForwarded);
        if (outcome.IsError)
            return;
        if (outcome.ChangedSchema is not null)
        {
            _schema = outcome.ChangedSchema;
            backend.Schema = _schema;
        }
        else if (command == CommandKind.InitDb)
        {
            _schema = Encoding.UTF8.GetString(payload[1..]);
            backend.Schema = _schema;
        }
        else if (command == CommandKind.Query && SqlText.TryGetUseSchema(payload[1..], out var schema))
        {
            _schema = schema;
            backend.Schema = schema;
        }
        else if (command == CommandKind.ResetConnection)
        {
            backend.Collation = 0;
        }
    }

    /// <summary>The backend connection died. Tell the client (when the protocol still allows it) and drop the connection.</summary>
    private async Task BackendLostAsync(BackendConnection backend, byte sequenceId, bool sentNothing, string reason)
    {
        backend.MarkBroken();
        ReleaseBackend(reusable: false);
        LogBackendLost(ConnectionId, backend.Server.ToString(), reason);
        var inTransaction = (_status & ServerStatusFlags.InTransaction) != 0;
        _status &= ~(ServerStatusFlags.InTransaction | ServerStatusFlags.InTransactionReadOnly);
        _client.NextSequenceId = sequenceId;
        var what = sentNothing ? "before the statement could run" : "while the statement ran";
        var transaction = inTransaction ? "; the open transaction was lost" : "";
        await SendErrorAsync(new MySqlError(ErrorCodes.ServerLost, "HY000",
            $"Lost connection to backend {backend.Server} {what}{transaction}")).ConfigureAwait(false);
    }

    /// <summary>Relays the client's file (packets until an empty one) to the backend, which then answers with OK or ERR.</summary>
    private async Task<bool> RelayLocalInfileAsync(BackendConnection backend, CancellationToken cancellationToken)
    {
        while (true)
        {
            var chunk = await _client.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
            if (chunk.IsClosed)
            {
                backend.Abort();
                _phase = SessionPhase.Closing;
                return false;
            }
            backend.Channel.NextSequenceId = _client.LastSequenceId;
            backend.Channel.WritePayload(chunk.Payload.Span);
            await backend.Channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (chunk.Payload.IsEmpty)
                return true;
        }
    }

    /// <summary>
    /// The session's backend connection, acquired from the user's default hostgroup if it has none yet, with the
    /// session's schema and character set applied. On failure the client has been sent the error and null is returned.
    /// </summary>
    private async ValueTask<BackendConnection?> EnsureBackendAsync(CancellationToken cancellationToken)
    {
        if (_backend is { IsBroken: false } attached)
            return attached;
        ReleaseBackend(reusable: false);
        var replySequence = (byte)(_client.LastSequenceId + 1);
        _phase = SessionPhase.AcquiringBackend;
        BackendConnection backend;
        try
        {
            backend = await _backends.AcquireAsync(_user!.DefaultHostgroup, _credentials!, PoolKey, _schema, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendAcquireException ex)
        {
            _client.NextSequenceId = replySequence;
            await SendErrorAsync(ex.Error).ConfigureAwait(false);
            return null;
        }
        _backend = backend;
        try
        {
            if (_schema is not null && !string.Equals(backend.Schema, _schema, StringComparison.Ordinal))
            {
                var error = await BackendCommands.InitDbAsync(backend, _schema, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    _client.NextSequenceId = replySequence;
                    await SendErrorAsync(error).ConfigureAwait(false);
                    return null;
                }
            }
            if (backend.Collation != _collation)
            {
                var error = await BackendCommands.ExecuteAsync(backend, Collations.SetNamesStatement(_collation), cancellationToken).ConfigureAwait(false);
                if (error is null)
                    backend.Collation = _collation;
            }
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or ObjectDisposedException)
        {
            await BackendLostAsync(backend, replySequence, sentNothing: true, ex.Message).ConfigureAwait(false);
            return null;
        }
        return backend;
    }

    /// <summary>
    /// COM_CHANGE_USER: log the session in again as another user (re-authenticated here, against the proxy's users),
    /// with all session state dropped, as the server would do.
    /// </summary>
    private async Task<bool> ChangeUserAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var request = ChangeUserRequest.Read(payload.Span, _capabilities);
        var snapshot = _runtime.Snapshot;
        snapshot.FrontendUsers.TryGetValue(request.Username, out var user);
        var result = await FrontendReauthentication.RunAsync(_client, user?.Password, cancellationToken).ConfigureAwait(false);
        if (result.IsClosed)
            return false;
        if (user is null || result.Stage1 is null)
        {
            var host = Remote?.Address.ToString() ?? "unknown";
            await SendErrorAsync(new MySqlError(ErrorCodes.AccessDenied, "28000",
                $"Access denied for user '{request.Username}'@'{host}' (using password: {(result.HadPassword ? "YES" : "NO")})")).ConfigureAwait(false);
            return false;
        }
        ReleaseBackend(reusable: true);
        if (_userCounted && _user is not null)
            _registry.RemoveUserConnection(_user.Username);
        _userCounted = _registry.TryAddUserConnection(user.Username, user.MaxConnections);
        _user = user;
        _credentials = new BackendCredentials(user.Username,
            Protocol.Auth.MysqlNativePassword.IsHashed(user.Password) ? null : user.Password ?? "", result.Stage1.Length == 20 ? result.Stage1 : null);
        if (request.Collation != 0)
            _collation = request.Collation;
        _schema = request.Database ?? user.DefaultSchema ?? snapshot.Settings.DefaultSchema;
        _status = ServerStatusFlags.Autocommit;
        await SendOkAsync().ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {Id}: backend {Server} lost: {Reason}")]
    private partial void LogBackendLost(uint id, string server, string reason);
}
