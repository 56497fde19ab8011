using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// Builds one packet payload in a pooled buffer. Reuse it with <see cref="Clear"/>; <see cref="Dispose"/> returns the
/// buffer. <see cref="Payload"/> is valid until the next write or <see cref="Clear"/>.
/// <para>
/// Buffers come from <see cref="PooledBuffers"/>. <see cref="Clear"/> lets go of a buffer larger than
/// <see cref="LargestKeptBuffer"/>, so a session that once read a big packet does not hold it while idle.
/// </para>
/// </summary>
public sealed class PayloadWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _length;

    public const int LargestKeptBuffer = 64 * 1024;

    private readonly int _initialCapacity;

    public PayloadWriter(int initialCapacity = 256)
    {
        _initialCapacity = initialCapacity;
        _buffer = PooledBuffers.Rent(initialCapacity);
    }

    public int Length => _length;
    /// <summary>The size of the buffer held now.</summary>
    public int Capacity => _buffer.Length;
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> PayloadMemory => _buffer.AsMemory(0, _length);

    public void Clear()
    {
        _length = 0;
        if (_buffer.Length > LargestKeptBuffer)
        {
            PooledBuffers.Return(_buffer);
            _buffer = PooledBuffers.Rent(_initialCapacity);
        }
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 16));
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 16));
        return _buffer.AsSpan(_length);
    }

    public PayloadWriter WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
        return this;
    }

    public PayloadWriter WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_length), value);
        _length += 2;
        return this;
    }

    public PayloadWriter WriteUInt24(int value)
    {
        Ensure(3);
        _buffer[_length] = (byte)value;
        _buffer[_length + 1] = (byte)(value >> 8);
        _buffer[_length + 2] = (byte)(value >> 16);
        _length += 3;
        return this;
    }

    public PayloadWriter WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
        return this;
    }

    public PayloadWriter WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
        return this;
    }

    public PayloadWriter WriteLengthEncodedInteger(ulong value)
    {
        switch (value)
        {
            case < 0xFB:
                return WriteByte((byte)value);
            case <= 0xFFFF:
                WriteByte(0xFC);
                return WriteUInt16((ushort)value);
            case <= 0xFF_FFFF:
                WriteByte(0xFD);
                return WriteUInt24((int)value);
            default:
                WriteByte(0xFE);
                return WriteUInt64(value);
        }
    }

    public PayloadWriter WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        return this;
    }

    public PayloadWriter WriteZeros(int count)
    {
        Ensure(count);
        _buffer.AsSpan(_length, count).Clear();
        _length += count;
        return this;
    }

    public PayloadWriter WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        Ensure(byteCount);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        return this;
    }

    public PayloadWriter WriteNullTerminatedString(string value) => WriteString(value).WriteByte(0);

    public PayloadWriter WriteNullTerminatedBytes(ReadOnlySpan<byte> value) => WriteBytes(value).WriteByte(0);

    public PayloadWriter WriteLengthEncodedBytes(ReadOnlySpan<byte> value)
    {
        WriteLengthEncodedInteger((ulong)value.Length);
        return WriteBytes(value);
    }

    public PayloadWriter WriteLengthEncodedString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteLengthEncodedInteger((ulong)byteCount);
        Ensure(byteCount);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        return this;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        PooledBuffers.Return(buffer);
    }

    private void Ensure(int count)
    {
        if (_length + count <= _buffer.Length)
            return;
        var grown = PooledBuffers.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        PooledBuffers.Return(_buffer);
        _buffer = grown;
    }

}
