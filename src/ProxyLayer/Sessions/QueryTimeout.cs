using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;

namespace ProxyLayer.Sessions;

/// <summary>
/// Enforces a statement's time limit (a rule's <c>timeout</c>, else <c>mysql-default_query_timeout</c>) as ProxySQL
/// does: when it expires, <c>KILL QUERY</c> is sent for the backend connection over a second connection to the same
/// server; the server then ends the statement with ERR 1317, which reaches the client like any answer.
/// </summary>
/// <remarks>
/// One per session, armed for each statement: the default limit (a day) applies to every statement, so arming must
/// not cost a timer and its state per statement. The timer is created on first use and only re-set after that.
/// </remarks>
internal sealed partial class QueryTimeout(ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private Timer? _timer;
    private BackendConnection? _backend;
    private BackendCredentials? _credentials;
    private int _limit;
    private long _deadline;

    /// <summary>Starts the limit for the statement now running on <paramref name="backend"/>; dispose the result when it ends.</summary>
    public Armed Arm(int milliseconds, BackendConnection backend, BackendCredentials credentials)
    {
        if (milliseconds <= 0)
            return default;
        lock (_gate)
        {
            _backend = backend;
            _credentials = credentials;
            _limit = milliseconds;
            _deadline = Environment.TickCount64 + milliseconds;
            _timer ??= new Timer(static state => ((QueryTimeout)state!).Expire(), this, Timeout.Infinite, Timeout.Infinite);
        }
        _timer.Change(milliseconds, Timeout.Infinite);
        return new Armed(this);
    }

    private void Disarm()
    {
        _timer?.Change(Timeout.Infinite, Timeout.Infinite);
        lock (_gate)
            _backend = null;
    }

    private void Expire()
    {
        BackendConnection backend;
        BackendCredentials credentials;
        int limit;
        lock (_gate)
        {
            // A callback already on its way when the statement ended, or when the next one was armed, does nothing.
            if (_backend is null || Environment.TickCount64 < _deadline)
                return;
            (backend, credentials, limit) = (_backend, _credentials!, _limit);
            _backend = null;
        }
        _ = KillAsync(backend, credentials, logger, limit);
    }

    /// <summary>The limit of one statement; disposing it stops the limit.</summary>
    public readonly struct Armed(QueryTimeout? owner) : IDisposable
    {
        public void Dispose() => owner?.Disarm();
    }

    private static async Task KillAsync(BackendConnection backend, BackendCredentials credentials, ILogger logger, int limit)
    {
        try
        {
            var error = await ServerSideKill.KillAsync(backend, credentials, connection: false).ConfigureAwait(false);
            LogKilled(logger, backend.Server, backend.ConnectionId, limit, error?.Message ?? "ok");
        }
        catch (Exception ex) when (ex is BackendConnectException or IOException or Protocol.ProtocolException)
        {
            LogKillFailed(logger, backend.Server, backend.ConnectionId, ex.Message);
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _timer?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "query timeout ({Limit} ms) on {Server} thread {Thread}: KILL QUERY sent ({Result})")]
    private static partial void LogKilled(ILogger logger, BackendServer server, uint thread, int limit, string result);

    [LoggerMessage(Level = LogLevel.Error, Message = "query timeout on {Server} thread {Thread}: could not send KILL QUERY: {Error}")]
    private static partial void LogKillFailed(ILogger logger, BackendServer server, uint thread, string error);
}
