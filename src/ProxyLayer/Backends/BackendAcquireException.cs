using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>No backend connection could be had for a statement; <see cref="Error"/> is what the client is told.</summary>
internal sealed class BackendAcquireException : Exception
{
    public BackendAcquireException() : this(new MySqlError(ErrorCodes.ProxyInternalError, "HY000", "no backend")) { }
    public BackendAcquireException(string message) : this(new MySqlError(ErrorCodes.ProxyInternalError, "HY000", message)) { }
    public BackendAcquireException(string message, Exception inner) : base(message, inner) =>
        Error = new MySqlError(ErrorCodes.ProxyInternalError, "HY000", message);

    public BackendAcquireException(MySqlError error) : base(error.Message) => Error = error;

    public MySqlError Error { get; }
}
