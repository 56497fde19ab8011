using System.Buffers;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Networking;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// Sessions of <c>fast_forward=1</c> users (ProxySQL's FAST_FORWARD): after the proxy's own login, the session is
/// bound to one new backend connection of the user's default_hostgroup and the bytes are relayed both ways unread. No
/// rules, no multiplexing, no state tracking, no query stats; only the bytes are counted for the server
/// (stats_mysql_connection_pool). Whatever the client sends goes to the server as it is, COM_CHANGE_USER included
/// (the server then authenticates the client itself). When either side closes, so does the other, and the backend
/// connection is never pooled. A client on the compressed protocol gets a compressed backend connection, and the
/// frames themselves are relayed: client and server then number them as on a direct connection, which a relay of the
/// packets inside them could not do without knowing where each command starts.
/// </summary>
internal sealed partial class ClientSession
{
    private async Task FastForwardAsync(CancellationToken stopping)
    {
        _phase = SessionPhase.Idle;
        var compressed = _transport.IsCompressed;
        if (compressed)
        {
            _transport.StopCompression();
            _client.SwitchPipes(_transport.Input, _transport.Output);
        }
        // Like ProxySQL, the backend connection is opened when the first command arrives: a client that logs in and
        // quits costs none, and the first command then goes out unchanged.
        if (await PeekFirstCommandAsync(compressed, stopping).ConfigureAwait(false) is not { } first || first.Command == CommandKind.Quit)
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
            if (compressed)
                WriteCompressedError(ex.Error, (byte)(first.FrameSequenceId + 1));
            else
                _client.WritePayload(ex.Error, static (w, e) => ErrorPacket.Write(w, e));
            await _client.FlushAsync(stopping).ConfigureAwait(false);
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

    /// <summary>
    /// The first command's sequence id and kind, left unread in the pipe for the relay; null if the client closed.
    /// On a compressed link, what the frame carries when it is not compressed (a one-byte COM_QUIT never is); a
    /// compressed first frame is some other command, numbered 0.
    /// </summary>
    private async ValueTask<FirstCommand?> PeekFirstCommandAsync(bool compressed, CancellationToken cancellationToken)
    {
        var input = _client.Input;
        var needed = compressed ? CompressedPacketHeader.Size + 5 : 5;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (compressed && CompressedPacketHeader.TryRead(buffer, out _, out var frameSequenceId, out var uncompressedLength) &&
                uncompressedLength != 0)
            {
                input.AdvanceTo(buffer.Start);
                return new FirstCommand(0, CommandKind.Query, frameSequenceId);
            }
            if (buffer.Length >= needed)
            {
                var first = ReadCommandHeader(buffer, compressed);
                input.AdvanceTo(buffer.Start); // neither consumed nor examined: the relay reads the same bytes
                return first;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
                return null;
        }
    }

    private static FirstCommand ReadCommandHeader(in ReadOnlySequence<byte> buffer, bool compressed)
    {
        Span<byte> header = stackalloc byte[CompressedPacketHeader.Size + 5];
        var length = compressed ? CompressedPacketHeader.Size + 5 : 5;
        buffer.Slice(0, length).CopyTo(header);
        var packet = compressed ? header[CompressedPacketHeader.Size..] : header;
        return new FirstCommand(packet[3], (CommandKind)packet[4], compressed ? header[3] : (byte)0);
    }

    /// <summary>An error as one compressed frame, on a link whose frames the proxy no longer writes through the compression layer.</summary>
    private void WriteCompressedError(MySqlError error, byte frameSequenceId)
    {
        var payload = _client.RentOutgoing();
        ErrorPacket.Write(payload, error);
        var packets = new ArrayBufferWriter<byte>();
        PacketFramer.WritePackets(packets, payload.Payload, _client.NextSequenceId);
        CompressedPacketFramer.WriteFrame(_client.Output, new ReadOnlySequence<byte>(packets.WrittenMemory), frameSequenceId);
    }

    /// <param name="FrameSequenceId">On a compressed link, the sequence id of the frame that carries it.</param>
    private readonly record struct FirstCommand(byte SequenceId, CommandKind Command, byte FrameSequenceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id}: {User} is fast_forward, relaying to {Server} (hostgroup {Hostgroup})")]
    private partial void LogFastForwarding(uint id, string user, string server, int hostgroup);

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id}: fast_forward relay to {Server} ended ({End})")]
    private partial void LogFastForwardEnded(uint id, string server, PipeRelayEnd end);
}
