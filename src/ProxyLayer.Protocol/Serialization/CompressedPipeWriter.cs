using System.Buffers;
using System.IO.Pipelines;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// A writer of ordinary packets that sends them as compressed-protocol frames: bytes are buffered until
/// <see cref="FlushAsync"/>, then framed onto the connection's own writer and flushed with it.
/// </summary>
/// <remarks>
/// Frames have their own sequence ids (see <see cref="CompressedSequenceIds"/>). Packet sequence ids cannot tell a
/// new command from the rest of an exchange (they wrap to 0 in a long LOCAL INFILE upload), so the sender marks
/// command starts with <see cref="StartCommand"/>.
/// </remarks>
public sealed class CompressedPipeWriter : PipeWriter
{
    /// <summary>
    /// Outgoing frames carry at most this much: small enough to need no large contiguous buffer, large enough that
    /// zlib's 32 KB window sees all it can use.
    /// </summary>
    public const int MaxFrameLength = 64 * 1024;

    private readonly PipeWriter _connection;
    private readonly Pipe _pending = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    /// <summary>Offsets into the unflushed bytes where commands start, ascending.</summary>
    private readonly List<long> _commandStarts = [];
    private readonly CompressedSequenceIds _ids;
    private PacketBoundaryScanner _packets;
    private long _unflushed;

    public CompressedPipeWriter(PipeWriter connection, CompressedSequenceIds ids)
    {
        _connection = connection;
        _ids = ids;
    }

    public override bool CanGetUnflushedBytes => true;
    public override long UnflushedBytes => _unflushed;

    /// <summary>The next bytes written begin a new command: their frame starts afresh with sequence id 0.</summary>
    public void StartCommand()
    {
        if (_commandStarts.Count == 0 || _commandStarts[^1] != _unflushed)
            _commandStarts.Add(_unflushed);
    }

    /// <summary>
    /// For the server side of a link: the peer's next packet starts a command, so the link's reader numbers it 0 again
    /// (see <see cref="CompressedSequenceIds"/>; the ids are shared with it). Clients number the packets inside their
    /// frames as they please (libmariadb sends 0 for every one); renumbered, they read as a plain client's.
    /// </summary>
    public void ExpectCommand() => _ids.NextPacket = 0;

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.Writer.GetMemory(sizeHint);
    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.Writer.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        _pending.Writer.Advance(bytes);
        _unflushed += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_unflushed > 0)
            WriteFrames();
        return _connection.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => _connection.CancelPendingFlush();

    /// <summary>Completes only the buffer: the connection's writer belongs to the transport, which completes it.</summary>
    public override void Complete(Exception? exception = null)
    {
        _pending.Writer.Complete(exception);
        _pending.Reader.Complete(exception);
    }

    /// <summary>The answer to the packets sent continues after the last of them.</summary>
    private void NotePacketIds(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            var bytes = segment.Span;
            int index;
            while ((index = _packets.NextSequenceId(bytes)) >= 0)
            {
                _ids.NextPacket = (byte)(bytes[index] + 1);
                bytes = bytes[(index + 1)..];
            }
        }
    }

    private void WriteFrames()
    {
        // Nothing waits on this pipe and it never pauses, so the flush completes at once and only publishes the bytes.
        var published = _pending.Writer.FlushAsync();
        if (!published.IsCompleted)
            throw new InvalidOperationException("the compression buffer paused its writer");
        published.GetAwaiter().GetResult();
        if (!_pending.Reader.TryRead(out var read))
            return;
        var data = read.Buffer;
        NotePacketIds(data);
        var sequenceId = _ids.NextFrame;
        long offset = 0;
        var nextStart = 0;
        while (!data.IsEmpty)
        {
            if (nextStart < _commandStarts.Count && _commandStarts[nextStart] == offset)
            {
                sequenceId = 0;
                nextStart++;
            }
            var length = Math.Min(data.Length, MaxFrameLength);
            if (nextStart < _commandStarts.Count)
                length = Math.Min(length, _commandStarts[nextStart] - offset);
            CompressedPacketFramer.WriteFrame(_connection, data.Slice(0, length), sequenceId++);
            data = data.Slice(length);
            offset += length;
        }
        _ids.NextFrame = sequenceId;
        _pending.Reader.AdvanceTo(read.Buffer.End);
        _commandStarts.Clear();
        _unflushed = 0;
    }
}
