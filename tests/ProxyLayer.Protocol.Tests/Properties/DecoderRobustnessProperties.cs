using CsCheck;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Properties;

/// <summary>
/// Whatever bytes a peer sends, a decoder answers with a value or with the protocol's own exceptions
/// (<see cref="ProtocolException"/>, <see cref="PacketTooLargeException"/>), which end only that session.
/// Inputs are random, or a valid packet with a few bytes changed, cut short or lengthened.
/// </summary>
public sealed class DecoderRobustnessProperties
{
    private static readonly byte[][] Valid =
    [
        Build(new HandshakeResponse41Packet
        {
            Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth | CapabilityFlags.ConnectWithDb |
                CapabilityFlags.ConnectAttrs | CapabilityFlags.PluginAuthLenencClientData | CapabilityFlags.LongPassword,
            Username = "app", AuthResponse = new byte[20], Database = "shop", AuthPluginName = "mysql_native_password",
            ConnectAttributes = [new("_client_name", "libmariadb")],
        }.Write),
        Build(new HandshakeV10Packet
        {
            ServerVersion = "10.11.6-MariaDB", AuthPluginData = new byte[20],
            Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth,
        }.Write),
        Build(w => OkPacket.Write(w, 3, 4, ServerStatusFlags.Autocommit, 1, CapabilityFlags.SessionTrack, "info")),
        Build(w => ErrorPacket.Write(w, 1045, "28000", "Access denied")),
        Frame(Build(w => w.WriteByte(3).WriteBytes("SELECT 1"u8))),
    ];

    private static readonly Gen<byte[]> Mutated = Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Select(Gen.Int, Gen.Byte).Array[1, 4], Gen.Int[-8, 8])
        .Select((which, edits, resize) =>
        {
            var bytes = Valid[which].ToList();
            foreach (var (at, value) in edits)
                bytes[(int)((uint)at % bytes.Count)] = value;
            if (resize < 0)
                bytes.RemoveRange(Math.Max(0, bytes.Count + resize), Math.Min(bytes.Count, -resize));
            else
                bytes.AddRange(new byte[resize]);
            return bytes.ToArray();
        });

    private static readonly Gen<byte[]> Inputs = Gen.OneOf(Gen.Byte.Array[0, 200], Mutated);

    [Fact]
    public void Packet_decoders_throw_only_protocol_exceptions() => Inputs.Sample(bytes =>
    {
        Decode(() => HandshakeResponse41Packet.Read(bytes));
        Decode(() => HandshakeV10Packet.Read(bytes));
        Decode(() => OkPacket.Read(bytes, CapabilityFlags.SessionTrack).Info.Length);
        Decode(() => OkPacket.Read(bytes, CapabilityFlags.None).Info.Length);
        Decode(() => ErrorPacket.Read(bytes).MessageText);
        Decode(() => EofPacket.Read(bytes).Status);
        Decode(() => AuthSwitchRequestPacket.Read(bytes).PluginName);
    }, iter: 20_000);

    [Fact]
    public void The_framer_throws_only_protocol_exceptions_and_never_reads_past_its_input() =>
        Gen.Select(Inputs, Gen.Int[1, 5]).Sample((bytes, pieces) => Decode(() =>
        {
            var buffer = bytes.Length == 0 ? System.Buffers.ReadOnlySequence<byte>.Empty : Segmented(bytes.Chunk(Math.Max(1, bytes.Length / pieces)).ToArray());
            using var payload = new PayloadWriter();
            var consumed = 0L;
            while (PacketFramer.TryReadPayload(ref buffer, payload, 1 << 20, out _))
                consumed = bytes.Length - buffer.Length;
            Assert.True(consumed <= bytes.Length);
            return consumed;
        }), iter: 20_000);

    private static void Decode<T>(Func<T> decode)
    {
        try
        {
            decode();
        }
        catch (Exception e) when (e is ProtocolException or PacketTooLargeException)
        {
        }
    }
}
