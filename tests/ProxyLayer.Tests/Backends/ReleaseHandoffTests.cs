using ProxyLayer.Backends;
using ProxyLayer.Protocol;

namespace ProxyLayer.Tests.Backends;

/// <summary>A session waiting for a busy connection gets the next one released for its key, instead of a new one.</summary>
public sealed class ReleaseHandoffTests : IAsyncDisposable
{
    private static readonly BackendPoolKey App = new("app", CapabilityFlags.None, 45);
    private static readonly BackendPoolKey Other = new("other", CapabilityFlags.None, 45);

    private readonly BackendServer _server = new("db1", 3306);
    private readonly LoopbackConnections _connections = new();

    [Fact]
    public async Task A_waiter_is_handed_the_next_connection_released_for_its_key()
    {
        var waiting = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        var released = await ConnectionAsync(App);
        Assert.True(_server.TryReturnIdle(released, maxIdle: 8));

        Assert.Same(released, await waiting);
        Assert.Equal(0, _server.IdleConnections);
    }

    [Fact]
    public async Task A_connection_of_another_key_is_parked_and_the_waiter_is_woken_to_look_again()
    {
        var waiting = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        var released = await ConnectionAsync(Other);
        Assert.True(_server.TryReturnIdle(released, maxIdle: 8));

        // Woken at once, not after its budget: it may take this one with COM_CHANGE_USER.
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, _server.IdleConnections);
        Assert.Same(released, _server.TryTakeIdle(Other));
    }

    [Fact]
    public async Task Waiters_are_served_oldest_first_and_one_that_gave_up_is_skipped()
    {
        var gaveUp = _server.WaitForReleaseAsync(App, TimeSpan.FromMilliseconds(1), CancellationToken.None).AsTask();
        Assert.Null(await gaveUp);
        var first = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        var second = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();

        var a = await ConnectionAsync(App);
        var b = await ConnectionAsync(App);
        _server.TryReturnIdle(a, 8);
        Assert.Same(a, await first);
        Assert.False(second.IsCompleted);
        _server.TryReturnIdle(b, 8);
        Assert.Same(b, await second);
    }

    [Fact]
    public async Task A_connect_that_ends_wakes_the_oldest_waiter_to_open_one_in_its_place()
    {
        Assert.True(_server.TryReserveConnectSlot(maxConnections: 10));
        using var cancel = new CancellationTokenSource();
        var first = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), cancel.Token).AsTask();
        var second = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), cancel.Token).AsTask();

        _server.ReleaseConnectSlot();

        Assert.Null(await first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(second.IsCompleted, "one connect's end wakes one waiter");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public async Task An_idle_connection_already_there_is_taken_without_waiting()
    {
        var idle = await ConnectionAsync(App);
        _server.TryReturnIdle(idle, 8);

        Assert.Same(idle, await _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        using var cancel = new CancellationTokenSource();
        var waiting = _server.WaitForReleaseAsync(App, TimeSpan.FromSeconds(10), cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        var released = await ConnectionAsync(App);
        Assert.True(_server.TryReturnIdle(released, 8));
        Assert.Equal(1, _server.IdleConnections);
    }

    private Task<BackendConnection> ConnectionAsync(BackendPoolKey key) => _connections.OpenAsync(_server, key);

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
