using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Networking;

namespace ProxyLayer.Tests.Networking;

public sealed class PipeRelayTests
{
    /// <summary>Four in-memory pipes: what the client sends, what it receives, and the same for the server.</summary>
    private sealed class Rig
    {
        public Pipe FromClient { get; } = new();
        public Pipe ToClient { get; } = new();
        public Pipe FromServer { get; } = new();
        public Pipe ToServer { get; } = new();
        public long SentToServer;
        public long SentToClient;

        public Task<PipeRelayEnd> RunAsync(CancellationToken cancellationToken = default) =>
            PipeRelay.RunAsync(FromClient.Reader, ToClient.Writer, FromServer.Reader, ToServer.Writer,
                n => Interlocked.Add(ref SentToServer, n), n => Interlocked.Add(ref SentToClient, n), cancellationToken);
    }

    private static async Task<byte[]> ReadAsync(PipeReader reader, int count)
    {
        while (true)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            if (result.Buffer.Length >= count || result.IsCompleted)
            {
                var bytes = result.Buffer.Slice(0, Math.Min(count, result.Buffer.Length)).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(bytes.Length));
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    [Fact]
    public async Task Bytes_go_both_ways_unchanged_and_are_counted()
    {
        var rig = new Rig();
        var relay = rig.RunAsync();
        var request = new byte[200_000];
        new Random(1).NextBytes(request);

        await rig.FromClient.Writer.WriteAsync(request);
        Assert.Equal(request, await ReadAsync(rig.ToServer.Reader, request.Length));
        await rig.FromServer.Writer.WriteAsync(new byte[] { 7, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0 });
        Assert.Equal(new byte[] { 7, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0 }, await ReadAsync(rig.ToClient.Reader, 11));

        await rig.FromClient.Writer.CompleteAsync();
        Assert.Equal(PipeRelayEnd.ClientClosed, await relay.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(request.Length, rig.SentToServer);
        Assert.Equal(11, rig.SentToClient);
    }

    [Fact]
    public async Task A_server_close_ends_the_relay_after_its_last_bytes_reach_the_client()
    {
        var rig = new Rig();
        var relay = rig.RunAsync();

        await rig.FromServer.Writer.WriteAsync(new byte[] { 1, 2, 3 });
        await rig.FromServer.Writer.CompleteAsync(); // e.g. the server killed the connection after an error packet

        // The client side is idle; the relay must not wait for it.
        Assert.Equal(PipeRelayEnd.ServerClosed, await relay.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(new byte[] { 1, 2, 3 }, await ReadAsync(rig.ToClient.Reader, 3));
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_keep_the_relay_alive_after_the_client_closes()
    {
        var rig = new Rig();
        var relay = rig.RunAsync();

        // The server sends more than the client pipe takes before pausing its writer; nobody reads it.
        await rig.FromServer.Writer.WriteAsync(new byte[1 << 20]);
        await rig.FromClient.Writer.CompleteAsync();

        Assert.Equal(PipeRelayEnd.ClientClosed, await relay.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stopping_ends_both_directions()
    {
        var rig = new Rig();
        using var stop = new CancellationTokenSource();
        var relay = rig.RunAsync(stop.Token);

        await stop.CancelAsync();

        Assert.Equal(PipeRelayEnd.Stopped, await relay.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
