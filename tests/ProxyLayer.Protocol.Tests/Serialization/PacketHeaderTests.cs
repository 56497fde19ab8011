using System.Buffers;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

public class PacketHeaderTests
{
    [Theory]
    [InlineData(0, 0, "00 00 00 00")]
    [InlineData(7, 2, "07 00 00 02")]
    [InlineData(0x123456, 255, "56 34 12 FF")]
    [InlineData(0xFFFFFF, 1, "FF FF FF 01")]
    public void Write_and_read_golden(int length, int sequenceId, string hex)
    {
        var header = new byte[PacketHeader.Size];
        PacketHeader.Write(header, length, (byte)sequenceId);
        Assert.Equal(Hex(hex), header);

        Assert.True(PacketHeader.TryRead(new ReadOnlySequence<byte>(header), out var readLength, out var readId));
        Assert.Equal(length, readLength);
        Assert.Equal(sequenceId, readId);
    }

    [Fact]
    public void TryRead_across_segments()
    {
        var sequence = Segmented([0x56], [], [0x34, 0x12], [0x09, 0xAA]);
        Assert.True(PacketHeader.TryRead(sequence, out var length, out var id));
        Assert.Equal(0x123456, length);
        Assert.Equal(9, id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TryRead_short_buffer_is_false(int available)
    {
        var sequence = new ReadOnlySequence<byte>(new byte[available]);
        Assert.False(PacketHeader.TryRead(sequence, out _, out _));
    }
}
