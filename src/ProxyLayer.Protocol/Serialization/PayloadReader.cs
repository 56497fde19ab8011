using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// Reads the fields of one packet payload. Reads past the end throw <see cref="ProtocolException"/>: a malformed
/// packet from a peer is an expected event, answered with an error, never a crash.
/// </summary>
public ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _offset;

    public PayloadReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _offset = 0;
    }

    public readonly int Offset => _offset;
    public readonly int Remaining => _payload.Length - _offset;
    public readonly bool IsAtEnd => _offset >= _payload.Length;
    public readonly ReadOnlySpan<byte> RemainingSpan => _payload[_offset..];

    public byte PeekByte()
    {
        Need(1);
        return _payload[_offset];
    }

    public byte ReadByte()
    {
        Need(1);
        return _payload[_offset++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16LittleEndian(_payload[_offset..]);
        _offset += 2;
        return value;
    }

    public int ReadUInt24()
    {
        Need(3);
        var value = _payload[_offset] | (_payload[_offset + 1] << 8) | (_payload[_offset + 2] << 16);
        _offset += 3;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_payload[_offset..]);
        _offset += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_payload[_offset..]);
        _offset += 8;
        return value;
    }

    /// <summary>A length-encoded integer; 0xFB (NULL) is returned as <see cref="ulong.MaxValue"/>.</summary>
    public ulong ReadLengthEncodedInteger()
    {
        var first = ReadByte();
        return first switch
        {
            < 0xFB => first,
            0xFB => ulong.MaxValue,
            0xFC => ReadUInt16(),
            0xFD => (ulong)ReadUInt24(),
            0xFE => ReadUInt64(),
            _ => throw ProtocolException.Malformed("invalid length-encoded integer prefix 0xFF"),
        };
    }

    public ReadOnlySpan<byte> ReadLengthEncodedBytes()
    {
        var length = ReadLengthEncodedInteger();
        if (length > int.MaxValue)
            throw ProtocolException.Malformed("length-encoded string too long");
        return ReadBytes((int)length);
    }

    public string ReadLengthEncodedString() => Encoding.UTF8.GetString(ReadLengthEncodedBytes());

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var bytes = _payload.Slice(_offset, count);
        _offset += count;
        return bytes;
    }

    public void Skip(int count)
    {
        Need(count);
        _offset += count;
    }

    /// <summary>Bytes up to a NUL terminator, which is consumed. A missing terminator takes the rest.</summary>
    public ReadOnlySpan<byte> ReadNullTerminatedBytes()
    {
        var rest = _payload[_offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            _offset = _payload.Length;
            return rest;
        }
        _offset += end + 1;
        return rest[..end];
    }

    public string ReadNullTerminatedString() => Encoding.UTF8.GetString(ReadNullTerminatedBytes());

    public ReadOnlySpan<byte> ReadToEnd()
    {
        var rest = _payload[_offset..];
        _offset = _payload.Length;
        return rest;
    }

    public string ReadStringToEnd() => Encoding.UTF8.GetString(ReadToEnd());

    private readonly void Need(int count)
    {
        // Unsigned compare against what is left: _offset + count could overflow int for a length read off the wire.
        if ((uint)count > (uint)(_payload.Length - _offset))
            ThrowTruncated(count, _payload.Length - _offset);
    }

    [StackTraceHidden]
    private static void ThrowTruncated(int wanted, int available) =>
        throw ProtocolException.Malformed($"packet truncated: needed {wanted} more bytes, {available} left");
}
