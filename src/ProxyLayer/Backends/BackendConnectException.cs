using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>A backend connection could not be opened: network failure, timeout, or the server refused the login.</summary>
internal sealed class BackendConnectException : Exception
{
    public BackendConnectException() { }
    public BackendConnectException(string message) : base(message) { }
    public BackendConnectException(string message, Exception inner) : base(message, inner) { }

    public BackendConnectException(string message, MySqlError? serverError, Exception? inner = null)
        : base(message, inner) => ServerError = serverError;

    /// <summary>The server's own ERR, when it answered with one (e.g. 1045 access denied).</summary>
    public MySqlError? ServerError { get; }

    /// <summary>
    /// Access-denied style errors do not count against the server's health (ProxySQL's rule), and are not retried:
    /// the client gets the server's error at once.
    /// </summary>
    public bool IsAuthenticationFailure => ServerError?.Code is ErrorCodes.AccessDenied or ErrorCodes.DbAccessDenied
        or ErrorCodes.AccessDeniedNoPassword or ErrorCodes.TooManyUserConnections or ErrorCodes.UserLimitReached or 3118;
}
