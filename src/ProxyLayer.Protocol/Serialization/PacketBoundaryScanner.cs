namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// Finds the packet headers in a stream of ordinary packets that passes by in pieces of any size, so the
/// compression layer can read or set their sequence ids without buffering whole packets.
/// </summary>
internal struct PacketBoundaryScanner
{
    private int _lengthBytes;
    private int _length;
    private long _payloadLeft;

    /// <summary>
    /// The index in <paramref name="bytes"/> of the next packet's sequence id, or -1 if the piece ends before it;
    /// call again with the bytes after the index to go on.
    /// </summary>
    public int NextSequenceId(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length - i);
                i += skip;
                _payloadLeft -= skip;
                continue;
            }
            if (_lengthBytes < 3)
            {
                _length |= bytes[i] << (8 * _lengthBytes);
                _lengthBytes++;
                i++;
                continue;
            }
            _payloadLeft = _length;
            _length = 0;
            _lengthBytes = 0;
            return i;
        }
        return -1;
    }
}
