using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

/// <summary>
/// A channel between two in-memory pipes: the test writes raw bytes into <see cref="_toChannel"/> and reads what the
/// channel sent from <see cref="_fromChannel"/>.
/// </summary>
public sealed class PacketChannelTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // No writer pause: ReadPayloadAsync examines a partial packet without consuming it, so over a pipe with a pause
    // threshold a payload larger than that threshold could never complete.
    private readonly Pipe _toChannel = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly Pipe _fromChannel = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly PacketChannel _channel;

    public PacketChannelTests() => _channel = new PacketChannel(_toChannel.Reader, _fromChannel.Writer);

    public void Dispose() => _channel.Dispose();

    private async Task SendAsync(params byte[] bytes) => await _toChannel.Writer.WriteAsync(bytes);

    private async Task<byte[]> ReadSentAsync(int expectedLength)
    {
        while (true)
        {
            var result = await _fromChannel.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            if (result.Buffer.Length >= expectedLength || result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                _fromChannel.Reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            _fromChannel.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private async Task<ReadPayloadResult> ReadAsync() => await _channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout);

    [Fact]
    public async Task Reads_a_payload_split_across_several_writes()
    {
        var read = ReadAsync();
        await SendAsync(0x05);
        await Task.Yield();
        await SendAsync(0x00, 0x00);
        await SendAsync(0x03, 0x01);
        Assert.False(read.IsCompleted);
        await SendAsync(0x02, 0x03);
        await SendAsync(0x04, 0x05);

        var result = await read;
        Assert.False(result.IsClosed);
        Assert.Equal(Hex("01 02 03 04 05"), result.Payload.ToArray());
        Assert.Equal(3, _channel.LastSequenceId);
        Assert.Equal(4, _channel.NextSequenceId);
    }

    [Fact]
    public async Task Reads_a_split_16MB_payload_written_in_pieces()
    {
        var payload = Sequential(PacketHeader.MaxPayloadLength + 100, start: 1);
        var wire = Frame(payload);
        var read = ReadAsync();
        foreach (var piece in wire.Chunk(1_000_003))
            await SendAsync(piece);

        var result = await read;
        Assert.True(result.Payload.Span.SequenceEqual(payload));
        Assert.Equal(1, _channel.LastSequenceId);
    }

    [Fact]
    public async Task Two_packets_in_one_write_are_two_reads()
    {
        await SendAsync(Hex("01 00 00 00 0E 02 00 00 00 03 41"));
        var first = await ReadAsync();
        Assert.Equal(Hex("0E"), first.Payload.ToArray());
        var second = await ReadAsync();
        Assert.Equal(Hex("03 41"), second.Payload.ToArray());
        Assert.Equal(0, _channel.LastSequenceId);
    }

    [Fact]
    public async Task Clean_close_between_packets_returns_IsClosed()
    {
        await SendAsync(Hex("01 00 00 00 01"));
        await _toChannel.Writer.CompleteAsync();
        var first = await ReadAsync();
        Assert.False(first.IsClosed);
        var second = await ReadAsync();
        Assert.True(second.IsClosed);
        Assert.True(second.Payload.IsEmpty);
    }

    [Fact]
    public async Task Close_before_anything_returns_IsClosed()
    {
        await _toChannel.Writer.CompleteAsync();
        Assert.True((await ReadAsync()).IsClosed);
    }

    [Theory]
    [InlineData("05")]
    [InlineData("05 00 00")]
    [InlineData("05 00 00 00")]
    [InlineData("05 00 00 00 01 02 03 04")]
    public async Task Close_mid_packet_throws_ProtocolException(string hex)
    {
        await SendAsync(Hex(hex));
        await _toChannel.Writer.CompleteAsync();
        await Assert.ThrowsAsync<ProtocolException>(ReadAsync);
    }

    [Fact]
    public async Task Close_between_parts_of_a_split_payload_throws_ProtocolException()
    {
        var wire = Frame(new byte[PacketHeader.MaxPayloadLength + 1]);
        await SendAsync(wire[..(PacketHeader.Size + PacketHeader.MaxPayloadLength)]);
        await _toChannel.Writer.CompleteAsync();
        await Assert.ThrowsAsync<ProtocolException>(ReadAsync);
    }

    [Fact]
    public async Task Oversize_payload_throws_PacketTooLargeException()
    {
        _channel.MaxPayloadLength = 4;
        await SendAsync(Hex("05 00 00 00"));
        await Assert.ThrowsAsync<PacketTooLargeException>(ReadAsync);
    }

    [Fact]
    public async Task WritePayload_continues_the_sequence_and_flushes()
    {
        await SendAsync(Hex("01 00 00 00 0E"));
        await ReadAsync();
        _channel.WritePayload(Hex("00 00 00 02 00 00 00"));
        await _channel.FlushAsync();
        Assert.Equal(Hex("07 00 00 01 00 00 00 02 00 00 00"), await ReadSentAsync(11));
        Assert.Equal(2, _channel.NextSequenceId);
    }

    [Fact]
    public async Task WritePayload_with_builder_and_explicit_sequence_id()
    {
        _channel.NextSequenceId = 255;
        _channel.WritePayload(7, (writer, value) => writer.WriteByte((byte)value).WriteLengthEncodedString("ab"));
        var writer = _channel.RentOutgoing();
        writer.WriteByte(0xFE);
        _channel.WritePayload(writer.Payload);
        await _channel.FlushAsync();
        Assert.Equal(Hex("04 00 00 FF 07 02 61 62 01 00 00 00 FE"), await ReadSentAsync(13));
    }

    [Fact]
    public async Task Channel_to_channel_round_trip_of_max_length_payload()
    {
        // The channel under test writes into _fromChannel; a second channel reads it back.
        using var peer = new PacketChannel(_fromChannel.Reader, _toChannel.Writer);
        var payload = Sequential(PacketHeader.MaxPayloadLength, start: 9);
        _channel.NextSequenceId = 254;
        _channel.WritePayload(payload);
        await _channel.FlushAsync();
        var result = await peer.ReadPayloadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(result.Payload.Span.SequenceEqual(payload));
        Assert.Equal(255, peer.LastSequenceId);
        Assert.Equal(0, peer.NextSequenceId);
    }

    [Fact]
    public async Task FlushAsync_after_the_reader_completed_throws_IOException()
    {
        await _fromChannel.Reader.CompleteAsync();
        _channel.WritePayload([1]);
        await Assert.ThrowsAsync<IOException>(async () => await _channel.FlushAsync());
    }

    [Fact]
    public async Task First_sequence_id_is_that_of_the_payloads_first_packet()
    {
        await SendAsync(3, 0, 0, 4, 1, 2, 3);
        await _channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal((4, 4), (_channel.FirstSequenceId, _channel.LastSequenceId));

        // A payload of exactly 16 MB - 1 continues in a second packet: numbered 0 then 1.
        var full = new byte[PacketHeader.Size + PacketHeader.MaxPayloadLength];
        PacketHeader.Write(full, PacketHeader.MaxPayloadLength, 0);
        await SendAsync(full);
        await SendAsync(1, 0, 0, 1, 9);
        await _channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal((0, 1), (_channel.FirstSequenceId, _channel.LastSequenceId));
    }
}
