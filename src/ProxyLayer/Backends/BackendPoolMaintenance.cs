using Microsoft.Extensions.Logging;
using ProxyLayer.Config;

namespace ProxyLayer.Backends;

/// <summary>
/// Keeps pools lean and healthy in the background:
/// idle connections beyond the most that recent load used at once are closed (a burst's leftovers do not linger, so many
/// multiplexed clients stay on few backend connections); idle connections unused for
/// <c>mysql-ping_interval_server_msec</c> are pinged (bounded by <c>mysql-ping_timeout_server</c>) and dropped if dead.
/// </summary>
internal sealed partial class BackendPoolMaintenance : IAsyncDisposable
{
    /// <summary>How often the pools are looked at, and over how many looks the recent peak of use is taken.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    private const int WindowSamples = 8;
    /// <summary>Idle connections always allowed per server, whatever the recent use.</summary>
    private const int MinimumIdle = 2;

    private readonly BackendServerRegistry _servers;
    private readonly RuntimeConfigManager _runtime;
    private readonly ILogger _logger;
    private readonly Dictionary<BackendServer, Queue<int>> _recentUse = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public BackendPoolMaintenance(BackendServerRegistry servers, RuntimeConfigManager runtime, ILogger<BackendPoolMaintenance> logger)
    {
        _servers = servers;
        _runtime = runtime;
        _logger = logger;
        _loop = RunAsync();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                foreach (var server in _servers.All)
                {
                    TrimIdle(server);
                    await PingIdleAsync(server).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void TrimIdle(BackendServer server)
    {
        if (!_recentUse.TryGetValue(server, out var samples))
            _recentUse[server] = samples = new Queue<int>(WindowSamples);
        if (samples.Count == WindowSamples)
            samples.Dequeue();
        samples.Enqueue(server.TakePeakUsed());
        var allowed = Math.Max(MinimumIdle, samples.Max());
        var excess = server.IdleConnections - allowed;
        if (excess <= 0)
            return;
        var closed = server.TakeLeastRecentlyUsedIdle(excess);
        foreach (var connection in closed)
            _ = connection.DisposeAsync().AsTask();
        if (closed.Count > 0)
            LogTrimmed(server, closed.Count, allowed);
    }

    private async Task PingIdleAsync(BackendServer server)
    {
        var settings = _runtime.Snapshot.Settings;
        var now = Environment.TickCount64;
        var stale = server.TakeIdle(c => now - c.LastUsedTimestamp >= settings.PingIntervalServerMsec);
        foreach (var connection in stale)
        {
            var alive = false;
            try
            {
                using var timeout = new CancellationTokenSource(settings.PingTimeoutServer);
                alive = connection.IsUsableAfterIdle() && await BackendCommands.PingAsync(connection, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or Protocol.ProtocolException or InvalidOperationException)
            {
                connection.MarkBroken();
            }
            connection.LastUsedTimestamp = Environment.TickCount64;
            if (!alive || !server.TryReturnIdle(connection, int.MaxValue))
            {
                if (!alive)
                    LogPingFailed(server);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "pool {Server}: closed {Count} idle connections beyond recent need ({Allowed})")]
    private partial void LogTrimmed(BackendServer server, int count, int allowed);

    [LoggerMessage(Level = LogLevel.Information, Message = "pool {Server}: an idle connection failed its keep-alive ping and was closed")]
    private partial void LogPingFailed(BackendServer server);
}
