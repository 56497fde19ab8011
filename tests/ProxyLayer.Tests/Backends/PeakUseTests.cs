using ProxyLayer.Backends;
using ProxyLayer.Protocol;

namespace ProxyLayer.Tests.Backends;

/// <summary>
/// The pool maintenance keeps as many idle connections as recent load used at once. Multiplexed statements hold a
/// connection for well under a millisecond, so the peak must be counted as connections are taken, not sampled.
/// </summary>
public sealed class PeakUseTests : IAsyncDisposable
{
    private static readonly BackendPoolKey App = new("app", CapabilityFlags.None, 45);
    private readonly BackendServer _server = new("db1", 3306);
    private readonly LoopbackConnections _connections = new();

    [Fact]
    public async Task A_burst_between_two_looks_counts_though_nothing_is_in_use_at_either()
    {
        var pool = new List<BackendConnection>();
        for (var i = 0; i < 4; i++)
        {
            var connection = await _connections.OpenAsync(_server, App);
            _server.OnConnectionOpened(); // as the connector does
            pool.Add(connection);
        }
        foreach (var connection in pool)
            Assert.True(_server.TryReturnIdle(connection, maxIdle: 8));
        Assert.Equal(4, _server.TakePeakUsed()); // all four were in use while being opened

        for (var round = 0; round < 3; round++)
        {
            var taken = new List<BackendConnection>();
            for (var i = 0; i < 3; i++)
                taken.Add(_server.TryTakeIdle(App)!);
            foreach (var connection in taken)
                _server.TryReturnIdle(connection, maxIdle: 8);
        }
        Assert.Equal(0, _server.UsedConnections);
        Assert.Equal(3, _server.TakePeakUsed());
        Assert.Equal(0, _server.TakePeakUsed());

        var held = _server.TryTakeIdle(App)!;
        Assert.Equal(1, _server.TakePeakUsed());
        Assert.Equal(1, _server.TakePeakUsed()); // still in use at the next look
        _server.TryReturnIdle(held, maxIdle: 8);
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
