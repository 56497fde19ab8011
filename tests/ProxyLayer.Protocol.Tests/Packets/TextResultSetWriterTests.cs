using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Packets;

public class TextResultSetWriterTests
{
    // Column "a": catalog "def", empty schema/table/org_table, name/org_name "a", 0x0C, utf8mb4 (45),
    // length 1024, VAR_STRING, flags 0, decimals 0, filler.
    private const string ColumnA = "03 64 65 66 00 00 00 01 61 01 61 0C 2D 00 00 04 00 00 FD 00 00 00 00 00";

    [Fact]
    public void ColumnDefinition_golden()
    {
        Assert.Equal(Hex(ColumnA), Build(w => ColumnDefinitionPacket.Write(w, "a")));
    }

    [Fact]
    public void ColumnDefinition_with_schema_table_and_type()
    {
        var payload = Build(w => ColumnDefinitionPacket.Write(w, "id", ColumnType.LongLong, "s", "t", 20, CharacterSets.Binary));
        Assert.Equal(Hex("03 64 65 66 01 73 01 74 01 74 02 69 64 02 69 64 0C 3F 00 14 00 00 00 08 00 00 00 00 00"), payload);
    }

    [Fact]
    public void ColumnDefinition_for_a_client_with_MariaDB_extended_type_info_has_an_empty_info_block()
    {
        // The block (length 0) sits between org_name and the fixed fields' length; without it the client misreads the rest.
        var payload = Build(w => ColumnDefinitionPacket.Write(w, "a", capabilities: CapabilityFlags.MariaDbExtendedTypeInfo));
        Assert.Equal(Hex("03 64 65 66 00 00 00 01 61 01 61 00 0C 2D 00 00 04 00 00 FD 00 00 00 00 00"), payload);
    }

    private static async Task<List<(byte SequenceId, byte[] Payload)>> WriteAndSplitAsync(CapabilityFlags capabilities)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var channel = new PacketChannel(new Pipe().Reader, pipe.Writer);
        TextResultSetWriter.Write(channel, capabilities, ["a"], [["1"], [null]], ServerStatusFlags.Autocommit);
        await channel.FlushAsync();
        await pipe.Writer.CompleteAsync();

        var packets = new List<(byte, byte[])>();
        var result = await pipe.Reader.ReadAsync();
        Assert.True(result.IsCompleted);
        var buffer = result.Buffer;
        using var payload = new PayloadWriter();
        while (PacketFramer.TryReadPayload(ref buffer, payload, long.MaxValue, out var id))
        {
            packets.Add((id, payload.Payload.ToArray()));
            payload.Clear();
        }
        Assert.True(buffer.IsEmpty);
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return packets;
    }

    [Fact]
    public async Task Result_set_with_eof_packets_golden()
    {
        var packets = await WriteAndSplitAsync(CapabilityFlags.Protocol41);
        Assert.Equal<string>(
        [
            Describe(0, "01"),
            Describe(1, ColumnA),
            Describe(2, "FE 00 00 02 00"),
            Describe(3, "01 31"),
            Describe(4, "FB"),
            Describe(5, "FE 00 00 02 00"),
        ], packets.Select(p => Describe(p.SequenceId, p.Payload)));
    }

    [Fact]
    public async Task Result_set_with_deprecate_eof_ends_with_an_ok()
    {
        var capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.DeprecateEof;
        var packets = await WriteAndSplitAsync(capabilities);
        Assert.Equal<string>(
        [
            Describe(0, "01"),
            Describe(1, ColumnA),
            Describe(2, "01 31"),
            Describe(3, "FB"),
            Describe(4, "FE 00 00 02 00 00 00"),
        ], packets.Select(p => Describe(p.SequenceId, p.Payload)));
        Assert.True(OkPacket.IsOk(packets[^1].Payload, capabilities));
        Assert.False(EofPacket.IsEof(packets[2].Payload));
    }

    private static string Describe(byte sequenceId, byte[] payload) => $"{sequenceId}: {Convert.ToHexString(payload)}";

    private static string Describe(int sequenceId, string hex) => Describe((byte)sequenceId, Hex(hex));
}
