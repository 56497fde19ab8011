namespace ProxyLayer.Protocol;

/// <summary>A peer sent bytes that break the protocol. The session that received them ends; nothing else does.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException() { }
    public ProtocolException(string message) : base(message) { }
    public ProtocolException(string message, Exception inner) : base(message, inner) { }

    public static ProtocolException Malformed(string what) => new($"malformed packet: {what}");
}
