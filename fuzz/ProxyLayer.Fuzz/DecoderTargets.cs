using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Fuzz;

/// <summary>
/// What the fuzzer feeds bytes to: the decoders a peer's bytes reach before anything else checks them. Each target
/// must end in a result or in the protocol's own exceptions (<see cref="ProtocolException"/>,
/// <see cref="PacketTooLargeException"/>); anything else escapes and is a crash.
/// </summary>
internal static class DecoderTargets
{
    /// <summary>Larger than any handshake, small enough that a claimed 16 MB packet is refused, not awaited.</summary>
    private const long MaxPayload = 1 << 20;

    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["handshake-response"] = HandshakeResponse,
        ["handshake-v10"] = data => HandshakeV10Packet.Read(data),
        ["server-replies"] = ServerReplies,
        ["framing"] = Framing,
        ["compressed"] = Compressed,
    };

    public static void Run(string target, byte[] data)
    {
        try
        {
            All[target](data);
        }
        catch (Exception e) when (e is ProtocolException or PacketTooLargeException)
        {
        }
    }

    /// <summary>A client's first packet: an SSL request or a full response (with the attributes, plugin, database).</summary>
    private static void HandshakeResponse(byte[] data)
    {
        if (HandshakeResponse41Packet.IsSslRequest(data))
            return;
        var response = HandshakeResponse41Packet.Read(data);
        // What the session reads next must be consistent: write it back and read it again.
        using var writer = new PayloadWriter();
        response.Write(writer);
        var again = HandshakeResponse41Packet.Read(writer.Payload);
        if (again.Username != response.Username || again.ConnectAttributes.Length != response.ConnectAttributes.Length)
            throw new InvalidOperationException("a handshake response does not survive its own round trip");
    }

    /// <summary>The first byte picks the capabilities the reply is read with; the rest is the reply.</summary>
    private static void ServerReplies(byte[] data)
    {
        if (data.Length == 0)
            return;
        var capabilities = CapabilityFlags.Protocol41 | (data[0] & 1) switch
        {
            0 => CapabilityFlags.SessionTrack | CapabilityFlags.DeprecateEof,
            _ => CapabilityFlags.None,
        };
        ReadOnlySpan<byte> payload = data.AsSpan(1);
        if (OkPacket.IsOk(payload, capabilities))
            _ = OkPacket.Read(payload, capabilities).SessionStateChanges.Length;
        if (ErrorPacket.IsError(payload))
            _ = ErrorPacket.Read(payload).MessageText;
        if (EofPacket.IsEof(payload))
            _ = EofPacket.Read(payload).Status;
        if (AuthSwitchRequestPacket.IsAuthSwitchRequest(payload))
            _ = AuthSwitchRequestPacket.Read(payload).PluginName;
    }

    /// <summary>A stream of packets arriving in two pieces (the first byte says where it breaks), read payload by payload.</summary>
    private static void Framing(byte[] data)
    {
        if (data.Length == 0)
            return;
        var split = Math.Min(data[0], data.Length - 1);
        var buffer = Segments.Join(data.AsMemory(1, split), data.AsMemory(1 + split));
        using var payload = new PayloadWriter();
        while (PacketFramer.TryReadPayload(ref buffer, payload, MaxPayload, out _))
            payload.Clear();
    }

    /// <summary>Compressed-protocol frames, read through the stream a compressed session reads from.</summary>
    private static void Compressed(byte[] data)
    {
        if (!CompressedPacketFramer.IsSupported)
            return;
        var pipe = new Pipe();
        pipe.Writer.WriteAsync(data).AsTask().GetAwaiter().GetResult();
        pipe.Writer.Complete();
        using var stream = new DecompressingStream(pipe.Reader, new CompressedSequenceIds());
        var buffer = new byte[4096];
        while (stream.ReadAsync(buffer).AsTask().GetAwaiter().GetResult() > 0)
        {
        }
    }
}

/// <summary>A two-segment sequence, so decoders meet a header or a payload broken across segments.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Join(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var head = new Segments(first, 0);
        var tail = new Segments(second, first.Length);
        head.Next = tail;
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }
}
