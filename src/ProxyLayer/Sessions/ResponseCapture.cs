using System.Buffers;

namespace ProxyLayer.Sessions;

/// <summary>
/// A bounded copy of a response as the client received it (packets with their headers), for the query cache.
/// Past <see cref="Limit"/> it stops copying and reports <see cref="Overflowed"/>: large results are not cached.
/// </summary>
internal sealed class ResponseCapture(int limit)
{
    private readonly ArrayBufferWriter<byte> _bytes = new();

    public int Limit { get; } = limit;
    public bool Overflowed { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed)
            return;
        if (_bytes.WrittenCount + bytes.Length > Limit)
        {
            Overflowed = true;
            return;
        }
        _bytes.Write(bytes);
    }

    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();
}
