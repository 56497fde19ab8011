namespace ProxyLayer.Monitor;

/// <summary>
/// Runs one kind of check against one server for as long as it is monitored. Each check is due one interval after the
/// previous one started; the interval is asked again after every check and every wake, so changes apply live.
/// </summary>
internal sealed class CheckLoop
{
    private readonly ServerAddress _server;
    private readonly CheckKind _kind;
    private readonly CheckCadence _cadence;
    private readonly CheckRunner _runner;
    private readonly WakeSignal _wake;
    private readonly TimeProvider _time;

    public CheckLoop(ServerAddress server, CheckKind kind, CheckCadence cadence, CheckRunner runner, WakeSignal wake, TimeProvider time)
    {
        _server = server;
        _kind = kind;
        _cadence = cadence;
        _runner = runner;
        _wake = wake;
        _time = time;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? lastStart = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var interval = _cadence.IntervalOf(_server, _kind);
            var now = _time.GetUtcNow();
            if (interval is null)
            {
                // Not applicable now (not in a replication pair, monitor disabled…): sleep until the configuration changes.
                lastStart = null;
                await _wake.WaitAsync(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var due = lastStart + interval.Value ?? now;
            if (due > now)
            {
                await _wake.WaitAsync(due - now, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            lastStart = now;
            await _runner.RunAsync(_server, _kind, cancellationToken).ConfigureAwait(false);
        }
    }
}
