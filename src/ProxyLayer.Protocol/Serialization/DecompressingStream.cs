using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using ProxyLayer.Protocol.Async;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// The ordinary packet bytes inside the compressed-protocol frames read from a connection, as a read-only stream:
/// a <see cref="PipeReader"/> created over it pulls one frame whenever its reader wants more data, so a slow
/// consumer slows the peer exactly as on a plain connection. Packets come out numbered as on a plain connection
/// (see <see cref="CompressedSequenceIds"/>).
/// </summary>
public sealed class DecompressingStream : Stream
{
    private readonly PipeReader _connection;
    private readonly CompressedSequenceIds _ids;
    private PacketBoundaryScanner _packets;
    /// <summary>Rented for a frame larger than the caller's buffer, returned once handed out; null otherwise.</summary>
    private byte[]? _pending;
    private int _pendingStart;
    private int _pendingEnd;

    public DecompressingStream(PipeReader connection, CompressedSequenceIds ids)
    {
        _connection = connection;
        _ids = ids;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_pending is not null)
                return TakePending(buffer.Span);
            var result = await _connection.ReadAsync(cancellationToken).ConfigureAwait(false);
            var data = result.Buffer;
            if (!CompressedPacketFramer.TryReadFrame(ref data, out var frame))
            {
                _connection.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                if (result.IsCanceled)
                    throw new OperationCanceledException("the read was canceled");
                if (!result.IsCompleted)
                    continue;
                if (result.Buffer.IsEmpty)
                    return 0;
                throw new ProtocolException("connection closed in the middle of a compressed packet");
            }
            try
            {
                // A reply within the same exchange continues after the peer's frame.
                _ids.NextFrame = (byte)(frame.SequenceId + 1);
                var length = frame.Length;
                if (buffer.Length == 0)
                {
                    // A zero-byte read only waits for data: the frame stays for the next read.
                    _connection.AdvanceTo(result.Buffer.Start);
                    return 0;
                }
                if (length <= buffer.Length)
                {
                    CompressedPacketFramer.Decode(frame, buffer.Span[..length]);
                    Renumber(buffer.Span[..length]);
                    _connection.AdvanceTo(data.Start);
                    if (length == 0)
                        continue;
                    return length;
                }
                var pending = PooledBuffers.Rent(length);
                try
                {
                    CompressedPacketFramer.Decode(frame, pending.AsSpan(0, length));
                }
                catch
                {
                    PooledBuffers.Return(pending);
                    throw;
                }
                _pending = pending;
                _pendingStart = 0;
                _pendingEnd = length;
                _connection.AdvanceTo(data.Start);
            }
            catch (ProtocolException)
            {
                _connection.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }
        }
    }

    private int TakePending(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _pendingEnd - _pendingStart);
        _pending.AsSpan(_pendingStart, count).CopyTo(buffer);
        Renumber(buffer[..count]);
        _pendingStart += count;
        if (_pendingStart == _pendingEnd)
            ReturnPending();
        return count;
    }

    private void Renumber(Span<byte> bytes)
    {
        int index;
        while ((index = _packets.NextSequenceId(bytes)) >= 0)
        {
            bytes[index] = _ids.NextPacket;
            _ids.NextPacket++;
            bytes = bytes[(index + 1)..];
        }
    }

    private void ReturnPending()
    {
        if (_pending is null)
            return;
        PooledBuffers.Return(_pending);
        _pending = null;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Returns the buffer; the connection's reader belongs to the transport, which completes it.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            ReturnPending();
        base.Dispose(disposing);
    }
}
