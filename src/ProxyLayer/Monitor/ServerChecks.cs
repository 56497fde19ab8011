namespace ProxyLayer.Monitor;

/// <summary>The running check loops of one server, stopped together when it leaves the configuration.</summary>
internal sealed class ServerChecks
{
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _loops;

    private ServerChecks(ServerAddress server, CancellationTokenSource stop, Task[] loops)
    {
        Server = server;
        _stop = stop;
        _loops = loops;
    }

    public ServerAddress Server { get; }

    public static ServerChecks Start(ServerAddress server, IEnumerable<CheckLoop> loops, Action<ServerAddress, Exception> onFailed,
        CancellationToken serviceStopping)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(serviceStopping);
        // Task.Run: the first check of a new server must not run on the thread that loaded the configuration.
        var tasks = loops.Select(loop => Task.Run(() => RunAsync(loop, server, onFailed, stop.Token))).ToArray();
        return new ServerChecks(server, stop, tasks);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task RunAsync(CheckLoop loop, ServerAddress server, Action<ServerAddress, Exception> onFailed, CancellationToken cancellationToken)
    {
        try
        {
            await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            onFailed(server, ex);
        }
    }
}
