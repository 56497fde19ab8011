using System.Net;
using System.Net.Sockets;
using ProxyLayer.Networking.Epoll;

namespace ProxyLayer.Tests.Networking.Epoll;

/// <summary>The epoll transport against real loopback sockets: the cases where an edge-triggered engine loses a wake-up.</summary>
public sealed class EpollSocketStreamTests
{
    private static EpollEngine Engine => EpollEngine.Shared ?? throw new InvalidOperationException(
        "the epoll engine is not available here (Linux x86-64 and PROXYLAYER_SOCKETS unset are needed)");

    private static async Task<(EpollSocketStream Proxy, Socket Peer)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var accepting = listener.AcceptAsync();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var stream = await EpollSocketStream.ConnectAsync(socket, [IPAddress.Loopback], ((IPEndPoint)listener.LocalEndPoint!).Port,
            Engine.NextLoop(), CancellationToken.None);
        return (stream, await accepting);
    }

    private static async Task<T> Within<T>(ValueTask<T> task) => await task.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 4)]
    [InlineData(64, 32)]
    public void One_loop_per_two_cores_and_at_least_one(int cores, int loops) =>
        Assert.Equal(loops, EpollEngine.DefaultThreads(cores));

    [Fact]
    public async Task Continuations_run_on_the_loop_that_watches_the_socket_and_it_is_the_current_loop_there()
    {
        var (proxy, peer) = await PairAsync();
        await using var _ = proxy;
        using var __ = peer;
        var buffer = new byte[4];
        var reading = ReadThenAskAsync();
        peer.Send([1, 2, 3, 4]);
        var (current, currentOrNext) = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(proxy.Loop, current);
        Assert.Same(proxy.Loop, currentOrNext);

        // The read waits (nothing sent yet), so its continuation runs on the loop's thread, as a session's does.
        async Task<(EpollLoop?, EpollLoop)> ReadThenAskAsync()
        {
            await proxy.ReadAsync(buffer).ConfigureAwait(false);
            return (EpollLoop.Current, Engine.CurrentOrNextLoop());
        }
    }

    [Fact]
    public async Task A_waiting_read_wakes_when_data_arrives()
    {
        var (stream, peer) = await PairAsync();
        using var _ = peer;
        await using var __ = stream;
        var buffer = new byte[100];
        var read = stream.ReadAsync(buffer);
        Assert.False(read.IsCompleted);
        peer.Send("hello"u8);
        Assert.Equal(5, await Within(read));
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);
    }

    [Fact]
    public async Task Data_and_the_end_of_the_stream_arriving_together_are_both_read()
    {
        var (stream, peer) = await PairAsync();
        await using var __ = stream;
        peer.Send(new byte[10]);
        peer.Shutdown(SocketShutdown.Send);
        await Task.Delay(50); // both events are counted before the first read
        var buffer = new byte[100];
        Assert.Equal(10, await Within(stream.ReadAsync(buffer)));
        // The read was short, yet the end of the stream is still to be read; no new event will come for it.
        Assert.Equal(0, await Within(stream.ReadAsync(buffer)));
        peer.Dispose();
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_the_next_read_gets_it()
    {
        var (stream, peer) = await PairAsync();
        using var _ = peer;
        await using var __ = stream;
        peer.Send("x"u8);
        var buffer = new byte[10];
        Assert.Equal(1, await Within(stream.ReadAsync(buffer)));
        var wait = stream.ReadAsync(Memory<byte>.Empty);
        Assert.False(wait.IsCompleted);
        peer.Send("yz"u8);
        Assert.Equal(0, await Within(wait));
        Assert.Equal(2, await Within(stream.ReadAsync(buffer)));
    }

    [Fact]
    public async Task A_write_larger_than_the_socket_buffers_completes_as_the_peer_reads()
    {
        var (stream, peer) = await PairAsync();
        using var _ = peer;
        await using var __ = stream;
        var data = new byte[32 * 1024 * 1024];
        Random.Shared.NextBytes(data);
        var write = stream.WriteAsync(data);
        Assert.False(write.IsCompleted); // the kernel took only part of it
        var received = new byte[data.Length];
        var total = 0;
        while (total < data.Length)
            total += await peer.ReceiveAsync(received.AsMemory(total));
        await write.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Abort_ends_a_waiting_read_as_the_end_of_the_stream()
    {
        var (stream, peer) = await PairAsync();
        using var _ = peer;
        var read = stream.ReadAsync(new byte[10]);
        stream.Abort();
        Assert.Equal(0, await Within(read));
        await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync(new byte[1]));
    }

    [Fact]
    public async Task A_cancelled_read_throws_and_the_stream_reads_on_afterwards()
    {
        var (stream, peer) = await PairAsync();
        using var _ = peer;
        await using var __ = stream;
        using var cancel = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[10], cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        peer.Send("ok"u8);
        Assert.Equal(2, await Within(stream.ReadAsync(new byte[10])));
    }

    [Fact]
    public async Task Quiet_since_drained_holds_until_the_loop_reports_news_and_lags_behind_a_busy_loop()
    {
        var (stream, peer) = await PairAsync();
        using var _ = peer;
        await using var __ = stream;
        Assert.False(stream.QuietSinceDrained); // never read: unknown
        // A waiting read: it resumes once the loop has counted the data's event, so no event is still to come.
        var first = stream.ReadAsync(new byte[10]);
        peer.Send("x"u8);
        Assert.Equal(1, await Within(first));
        Assert.True(stream.QuietSinceDrained); // a short read drained it

        // On the loop's own thread (a read's continuation), the peer's FIN reaches the kernel, but the loop cannot
        // fetch it until the continuation is done: the flag still says quiet. This is the window the sessions cover by
        // trusting it only for reads they can send again.
        var read = stream.ReadAsync(new byte[10]);
        var whileBusy = read.AsTask().ContinueWith(t =>
        {
            peer.Shutdown(SocketShutdown.Send);
            Thread.Sleep(20); // the FIN is in the kernel's queue well before this ends
            return stream.QuietSinceDrained;
        }, TaskContinuationOptions.ExecuteSynchronously);
        peer.Send("y"u8);
        Assert.True(await whileBusy.WaitAsync(TimeSpan.FromSeconds(10)));
        // Off the loop's thread (this test resumed on it): the loop must be free to fetch the event.
        Assert.True(await Task.Run(() => SpinWait.SpinUntil(() => !stream.QuietSinceDrained, TimeSpan.FromSeconds(10))), "the loop never reported the FIN");
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_is_refused()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var ex = await Assert.ThrowsAsync<SocketException>(async () =>
            await EpollSocketStream.ConnectAsync(socket, [IPAddress.Loopback], port, Engine.NextLoop(), CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }
}
