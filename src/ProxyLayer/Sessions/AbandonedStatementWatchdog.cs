namespace ProxyLayer.Sessions;

/// <summary>
/// Stops statements whose client has gone. While a statement runs nobody reads the client's socket, so a client that
/// disconnects during a long statement (a <c>GET_LOCK('x', 3600)</c>, a slow report) would leave it running on the
/// server, holding its locks and its backend connection. A server notices its own clients leaving; through the
/// proxy this sweep does it: a few times a second it looks at sessions whose statement has run for a while, and
/// kills the statement with its backend connection when the client socket was seen closed twice in a row (so about
/// half a second after the client left). The statement path pays
/// nothing: the sweep reads one field per session, and polls the socket only of long-running ones.
/// </summary>
internal sealed class AbandonedStatementWatchdog : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);
    /// <summary>Statements younger than this are not looked at: most end before, and their client is still there.</summary>
    private const long MinimumRunningMs = 200;

    private readonly SessionRegistry _sessions;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public AbandonedStatementWatchdog(SessionRegistry sessions)
    {
        _sessions = sessions;
        _loop = RunAsync();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
                Sweep();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        using var sessions = _sessions.GetEnumerator();
        while (sessions.MoveNext())
        {
            var session = sessions.Current.Value;
            if (session.IsAbandonedStatement(now, MinimumRunningMs))
                _ = session.KillSessionAsync(credentials: null, "its client closed the connection while a statement ran");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
