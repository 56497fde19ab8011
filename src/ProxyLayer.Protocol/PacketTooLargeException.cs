namespace ProxyLayer.Protocol;

/// <summary>A peer sent a payload larger than the configured maximum (<c>max_allowed_packet</c>).</summary>
public sealed class PacketTooLargeException : Exception
{
    public PacketTooLargeException() { }
    public PacketTooLargeException(string message) : base(message) { }
    public PacketTooLargeException(string message, Exception inner) : base(message, inner) { }

    public PacketTooLargeException(long length, long limit)
        : base($"Got a packet bigger than 'max_allowed_packet' bytes ({length} > {limit})")
    {
        Length = length;
        Limit = limit;
    }

    public long Length { get; }
    public long Limit { get; }
}
