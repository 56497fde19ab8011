using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

/// <summary>
/// <see cref="CompressedPipeWriter"/> and <see cref="DecompressingStream"/> over in-memory pipes standing for the
/// connection: what goes on the wire, and what a <see cref="PacketChannel"/> on top of them sees.
/// </summary>
public sealed class CompressedPipeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Pipe _wire = new(new PipeOptions(pauseWriterThreshold: 0));

    [Fact]
    public async Task Each_command_starts_its_frames_at_sequence_id_zero()
    {
        var writer = new CompressedPipeWriter(_wire.Writer, new CompressedSequenceIds());
        using var channel = new PacketChannel(new Pipe().Reader, writer);

        channel.StartCommand();
        channel.WritePayload(Hex("0e"));
        await channel.FlushAsync();
        channel.StartCommand();
        channel.WritePayload(Hex("0e"));
        await channel.FlushAsync();

        Assert.Equal(Hex("05 00 00 00 00 00 00 01 00 00 00 0e  05 00 00 00 00 00 00 01 00 00 00 0e"), await ReadWireAsync(24));
    }

    [Fact]
    public async Task Commands_written_together_get_a_frame_each()
    {
        var writer = new CompressedPipeWriter(_wire.Writer, new CompressedSequenceIds());
        using var channel = new PacketChannel(new Pipe().Reader, writer);

        for (var id = 1; id <= 3; id++)
        {
            channel.StartCommand();
            channel.WritePayload([0x19, (byte)id, 0, 0, 0]); // COM_STMT_CLOSE, answered by nothing
        }
        Assert.Equal(27, writer.UnflushedBytes);
        await channel.FlushAsync();

        Assert.Equal(Hex("""
            09 00 00 00 00 00 00 05 00 00 00 19 01 00 00 00
            09 00 00 00 00 00 00 05 00 00 00 19 02 00 00 00
            09 00 00 00 00 00 00 05 00 00 00 19 03 00 00 00
            """), await ReadWireAsync(48));
    }

    [Fact]
    public async Task Within_an_exchange_frames_continue_after_the_peers_last_one()
    {
        var ids = new CompressedSequenceIds { NextFrame = 5 }; // e.g. the server's LOCAL INFILE request came in frame 4
        var writer = new CompressedPipeWriter(_wire.Writer, ids);
        using var channel = new PacketChannel(new Pipe().Reader, writer);

        // 300 file packets: their own sequence ids wrap through 0, which must not restart the frames' numbering.
        channel.NextSequenceId = 2;
        for (var i = 0; i < 300; i++)
            channel.WritePayload(Hex("41"));
        channel.WritePayload([]);
        await channel.FlushAsync();

        var wire = new ReadOnlySequence<byte>(await ReadWireAsync(7));
        Assert.True(CompressedPacketFramer.TryReadFrame(ref wire, out var frame));
        Assert.Equal(5, frame.SequenceId);
        Assert.Equal(300 * 5 + 4, frame.Length);
    }

    [Fact]
    public async Task Payload_over_16_MB_goes_out_in_numbered_frames_and_comes_back_whole()
    {
        var payload = new byte[20 * 1024 * 1024];
        new Random(11).NextBytes(payload.AsSpan(0, payload.Length / 4));
        var writer = new CompressedPipeWriter(_wire.Writer, new CompressedSequenceIds());
        using (var sender = new PacketChannel(new Pipe().Reader, writer))
        {
            sender.StartCommand();
            sender.WritePayload(payload);
            await sender.FlushAsync();
        }
        _wire.Writer.Complete();

        // Check the frames' numbering on the raw wire, then read the packets back through the decompressing side.
        var raw = await ReadAllAsync(_wire.Reader);
        var frames = new ReadOnlySequence<byte>(raw);
        var expectedId = 0;
        long carried = 0;
        while (CompressedPacketFramer.TryReadFrame(ref frames, out var frame))
        {
            Assert.Equal((byte)expectedId++, frame.SequenceId);
            Assert.True(frame.Length <= CompressedPipeWriter.MaxFrameLength);
            carried += frame.Length;
        }
        Assert.Equal(payload.Length + 2 * PacketHeader.Size, carried);
        Assert.True(raw.Length < payload.Length / 2, $"{raw.Length} bytes on the wire");

        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await wire.Writer.WriteAsync(raw);
        wire.Writer.Complete();
        using var receiver = new PacketChannel(PipeReader.Create(new DecompressingStream(wire.Reader, new CompressedSequenceIds())), new Pipe().Writer);
        var read = await receiver.ReadPayloadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(payload.AsSpan().SequenceEqual(read.Payload.Span));
        Assert.Equal(1, receiver.LastSequenceId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public async Task Reader_sees_the_packets_whatever_way_the_frames_arrive(int pieceSize)
    {
        var packets = Frame(Sequential(100), 1).Concat(Frame(new byte[30_000], 2)).Concat(Frame(Hex("fe 00 00 02 00"), 3)).ToArray();
        var frames = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(frames, new ReadOnlySequence<byte>(packets, 0, 50), 1);
        CompressedPacketFramer.WriteFrame(frames, new ReadOnlySequence<byte>(packets, 50, packets.Length - 50), 2);
        var ids = new CompressedSequenceIds { NextPacket = 1 };
        // A small read buffer makes the 30 KB frame wait in the stream's own buffer between reads.
        var reader = PipeReader.Create(new DecompressingStream(_wire.Reader, ids), new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024));
        using var channel = new PacketChannel(reader, new Pipe().Writer);

        var feeding = FeedAsync(frames.WrittenMemory, pieceSize);
        Assert.Equal(Sequential(100), (await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout)).Payload.ToArray());
        Assert.Equal(new byte[30_000], (await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout)).Payload.ToArray());
        Assert.Equal(Hex("fe 00 00 02 00"), (await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout)).Payload.ToArray());
        Assert.Equal(3, channel.LastSequenceId);
        Assert.True((await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout)).IsClosed);
        await feeding;

        // A reply within the exchange would be frame 3, packet 4.
        Assert.Equal(3, ids.NextFrame);
        Assert.Equal(4, ids.NextPacket);
    }

    [Fact]
    public async Task Reply_packets_are_numbered_after_the_command_not_after_its_frames()
    {
        // A 200 KB command goes out in 4 frames; MariaDB then numbers its reply from 4, where a plain server says 1.
        var ids = new CompressedSequenceIds();
        var writer = new CompressedPipeWriter(_wire.Writer, ids);
        using var channel = new PacketChannel(PipeReader.Create(new DecompressingStream(_wire.Reader, ids)), writer);
        channel.StartCommand();
        channel.WritePayload([0x03, .. new byte[200_000]]);
        await channel.FlushAsync();
        var sent = new ReadOnlySequence<byte>(await ReadWireAsync(200_000 / 1000));
        var frames = 0;
        while (!sent.IsEmpty && CompressedPacketFramer.TryReadFrame(ref sent, out _))
            frames++;
        Assert.Equal(4, frames);
        Assert.Equal(1, ids.NextPacket);

        var reply = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(reply, new ReadOnlySequence<byte>([.. Frame(Hex("01"), 4), .. Frame(Hex("fe 00 00 02 00"), 5)]), 4);
        await _wire.Writer.WriteAsync(reply.WrittenMemory);

        Assert.Equal(Hex("01"), (await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout)).Payload.ToArray());
        Assert.Equal(1, channel.LastSequenceId);
        Assert.Equal(Hex("fe 00 00 02 00"), (await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout)).Payload.ToArray());
        Assert.Equal(2, channel.LastSequenceId);
        Assert.Equal(5, ids.NextFrame);
    }

    [Fact]
    public async Task Connection_closed_inside_a_frame_is_a_protocol_error()
    {
        var frame = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(frame, new ReadOnlySequence<byte>(Frame(new byte[1000])), 1);
        await _wire.Writer.WriteAsync(frame.WrittenMemory[..^3]);
        _wire.Writer.Complete();
        using var channel = new PacketChannel(PipeReader.Create(new DecompressingStream(_wire.Reader, new CompressedSequenceIds())), new Pipe().Writer);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout));
        Assert.Contains("middle of a compressed packet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_frame_surfaces_as_a_protocol_error_to_the_packet_reader()
    {
        var frame = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(frame, new ReadOnlySequence<byte>(Frame(new byte[1000])), 1);
        var bytes = frame.WrittenSpan.ToArray();
        bytes[^10] ^= 0x55;
        await _wire.Writer.WriteAsync(bytes);
        using var channel = new PacketChannel(PipeReader.Create(new DecompressingStream(_wire.Reader, new CompressedSequenceIds())), new Pipe().Writer);

        await Assert.ThrowsAsync<ProtocolException>(() => channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout));
    }

    private async Task FeedAsync(ReadOnlyMemory<byte> bytes, int pieceSize)
    {
        for (var offset = 0; offset < bytes.Length; offset += pieceSize)
        {
            await _wire.Writer.WriteAsync(bytes.Slice(offset, Math.Min(pieceSize, bytes.Length - offset)));
            await Task.Yield();
        }
        _wire.Writer.Complete();
    }

    private async Task<byte[]> ReadWireAsync(int atLeast)
    {
        while (true)
        {
            var result = await _wire.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            if (result.Buffer.Length >= atLeast || result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                _wire.Reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            _wire.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var all = new MemoryStream();
        await reader.CopyToAsync(all);
        return all.ToArray();
    }
}
