using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;

namespace ProxyLayer.Sessions;

/// <summary>
/// Enforces a statement's time limit (a rule's <c>timeout</c>, else <c>mysql-default_query_timeout</c>) as ProxySQL
/// does: when it expires, <c>KILL QUERY</c> is sent for the backend connection over a second connection to the same
/// server; the server then ends the statement with ERR 1317, which reaches the client like any answer.
/// </summary>
/// <remarks>
/// One per session, armed for each statement: the default limit (10 hours) applies to every statement, so arming must
/// cost neither a timer nor a timer operation per statement. The timer is created on first use and is lazy: arming
/// moves it only when the new deadline comes before the time it is set for, and ending a statement leaves it alone.
/// When it fires, it sends the kill if the running statement's deadline has passed, sets itself for that deadline
/// if one is still ahead, and otherwise stays unset until the next statement.
/// </remarks>
internal sealed partial class QueryTimeout(ILogger logger) : IDisposable
{
    private const long Unset = long.MaxValue;
    private readonly Lock _gate = new();
    private Timer? _timer;
    private BackendConnection? _backend;
    private BackendCredentials? _credentials;
    private int _limit;
    private long _deadline;
    /// <summary>When the timer will fire (<see cref="Environment.TickCount64"/>), or <see cref="Unset"/>.</summary>
    private long _timerDue = Unset;

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
            if (_deadline < _timerDue)
            {
                _timer ??= new Timer(static state => ((QueryTimeout)state!).Expire(), this, Timeout.Infinite, Timeout.Infinite);
                _timerDue = _deadline;
                _timer.Change(milliseconds, Timeout.Infinite);
            }
        }
        return new Armed(this);
    }

    private void Disarm()
    {
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
            _timerDue = Unset;
            if (_backend is null)
                return;
            var remaining = _deadline - Environment.TickCount64;
            if (remaining > 0)
            {
                // Set for an earlier statement's deadline (or fired a little early): wait for this one's.
                _timerDue = _deadline;
                _timer?.Change(remaining, Timeout.Infinite);
                return;
            }
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
