using System.Buffers;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Networking;
using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions;

/// <summary>
/// Sessions of <c>fast_forward=1</c> users (ProxySQL's FAST_FORWARD): after the proxy's own login, the session is
/// bound to one new backend connection of the user's default_hostgroup and the bytes are relayed both ways unread. No
/// rules, no multiplexing, no state tracking, no query stats; only the bytes are counted for the server
/// (stats_mysql_connection_pool). Whatever the client sends goes to the server as it is, COM_CHANGE_USER included
/// (the server then authenticates the client itself). When either side closes, so does the other, and the backend
/// connection is never pooled.
/// </summary>
internal sealed partial class ClientSession
{
    private async Task FastForwardAsync(CancellationToken stopping)
    {
        _phase = SessionPhase.Idle;
        // Like ProxySQL, the backend connection is opened when the first command arrives: a client that logs in and
        // quits costs none, and the first command then goes out unchanged.
        if (await PeekFirstCommandAsync(stopping).ConfigureAwait(false) is not { } first || first.Command == CommandKind.Quit)
            return;

        _phase = SessionPhase.AcquiringBackend;
        var hostgroup = _user!.DefaultHostgroup;
        // Every capability the client negotiated, its collation and its schema: the server must frame its answers
        // exactly as the client expects, since nothing is rewritten in between.
        var key = new BackendPoolKey(_user.Username, _capabilities, _collation);
        BackendConnection backend;
        try
        {
            backend = await _backends.ConnectDedicatedAsync(hostgroup, _credentials!, key, _state.Schema, stopping).ConfigureAwait(false);
        }
        catch (BackendAcquireException ex)
        {
            // The answer to the first command; then the session ends, as ProxySQL ends a fast_forward session it cannot connect.
            _client.NextSequenceId = (byte)(first.SequenceId + 1);
            await SendErrorAsync(ex.Error).ConfigureAwait(false);
            return;
        }

        _backend = backend;
        _backendHostgroup = hostgroup;
        _phase = SessionPhase.FastForwarding;
        LogFastForwarding(ConnectionId, _user.Username, backend.Server.ToString(), hostgroup);
        try
        {
            var server = backend.Server;
            var end = await PipeRelay.RunAsync(_client.Input, _client.Output, backend.Channel.Input, backend.Channel.Output,
                server.OnBytesSent, server.OnBytesReceived, stopping).ConfigureAwait(false);
            LogFastForwardEnded(ConnectionId, backend.Server.ToString(), end);
        }
        finally
        {
            // Its state is whatever the client made of it: closed, without a COM_QUIT of ours (the client's own, if it
            // sent one, went through). The client connection is closed by RunAsync.
            _backend = null;
            backend.Abort();
            _backends.Release(backend, reusable: false);
        }
    }

    /// <summary>The first command's sequence id and kind, left unread in the pipe for the relay; null if the client closed.</summary>
    private async ValueTask<(byte SequenceId, CommandKind Command)?> PeekFirstCommandAsync(CancellationToken cancellationToken)
    {
        var input = _client.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= 5)
            {
                var header = ReadCommandHeader(buffer);
                input.AdvanceTo(buffer.Start); // neither consumed nor examined: the relay reads the same bytes
                return header;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
                return null;
        }
    }

    private static (byte SequenceId, CommandKind Command) ReadCommandHeader(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(header);
        return (header[3], (CommandKind)header[4]);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id}: {User} is fast_forward, relaying to {Server} (hostgroup {Hostgroup})")]
    private partial void LogFastForwarding(uint id, string user, string server, int hostgroup);

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id}: fast_forward relay to {Server} ended ({End})")]
    private partial void LogFastForwardEnded(uint id, string server, PipeRelayEnd end);
}
