using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;

namespace ProxyLayer.Sessions;

/// <summary>
/// Enforces a statement's time limit (a rule's <c>timeout</c>, else <c>mysql-default_query_timeout</c>) as ProxySQL
/// does: when it expires, <c>KILL QUERY</c> is sent for the backend connection over a second connection to the same
/// server; the server then ends the statement with ERR 1317, which reaches the client like any answer.
/// </summary>
internal sealed partial class QueryTimeout : IDisposable
{
    private readonly Timer? _timer;

    private QueryTimeout(Timer? timer) => _timer = timer;

    public static QueryTimeout Start(int milliseconds, BackendConnection backend, BackendCredentials credentials, ILogger logger)
    {
        if (milliseconds <= 0)
            return new QueryTimeout(null);
        var timer = new Timer(static state =>
        {
            var (backend, credentials, logger, limit) = ((BackendConnection, BackendCredentials, ILogger, int))state!;
            _ = KillAsync(backend, credentials, logger, limit);
        }, (backend, credentials, logger, milliseconds), milliseconds, Timeout.Infinite);
        return new QueryTimeout(timer);
    }

    private static async Task KillAsync(BackendConnection backend, BackendCredentials credentials, ILogger logger, int limit)
    {
        try
        {
            await using var side = await BackendConnector.ConnectAsync(backend.Server, credentials,
                backend.Key, schema: null, backend.Tls, TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
            var error = await BackendCommands.ExecuteAsync(side, $"KILL QUERY {backend.ConnectionId}", CancellationToken.None).ConfigureAwait(false);
            LogKilled(logger, backend.Server, backend.ConnectionId, limit, error?.Message ?? "ok");
        }
        catch (Exception ex) when (ex is BackendConnectException or IOException or Protocol.ProtocolException)
        {
            LogKillFailed(logger, backend.Server, backend.ConnectionId, ex.Message);
        }
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "query timeout ({Limit} ms) on {Server} thread {Thread}: KILL QUERY sent ({Result})")]
    private static partial void LogKilled(ILogger logger, BackendServer server, uint thread, int limit, string result);

    [LoggerMessage(Level = LogLevel.Error, Message = "query timeout on {Server} thread {Thread}: could not send KILL QUERY: {Error}")]
    private static partial void LogKillFailed(ILogger logger, BackendServer server, uint thread, string error);
}
