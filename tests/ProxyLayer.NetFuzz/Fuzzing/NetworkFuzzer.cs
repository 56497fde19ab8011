using System.Net.Sockets;

namespace ProxyLayer.NetFuzz.Fuzzing;

/// <summary>
/// Throws malformed traffic at the proxy's ports from <c>concurrency</c> workers at once, each connection one case
/// picked at random: random bytes, lengths that lie, handshakes cut or mutated or out of order, a TLS request
/// followed by garbage, and after a real login garbage commands, wrong sequence ids and abrupt resets. A case never
/// waits for the proxy longer than a few seconds, so a stall in the proxy shows as slow progress, not a hung fuzzer.
/// </summary>
/// <param name="skip">Names of cases to leave out (to look past a known bug while it is being fixed).</param>
internal sealed class NetworkFuzzer(IReadOnlyList<FuzzTarget> targets, int seed, IReadOnlyCollection<string>? skip = null)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private delegate Task Case(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken);

    private (string Name, Case Run)[] Cases() =>
    [
        ("random bytes", RandomBytesAsync),
        ("lying length", LyingLengthAsync),
        ("truncated handshake", TruncatedHandshakeAsync),
        ("mutated handshake", MutatedHandshakeAsync),
        ("handshake out of order", HandshakeOutOfOrderAsync),
        ("TLS request then garbage", TlsGarbageAsync),
        ("silence", SilenceAsync),
        ("garbage commands after login", GarbageCommandsAsync),
        ("command out of order after login", CommandOutOfOrderAsync),
        ("half a command then reset", HalfCommandThenResetAsync),
    ];

    public FuzzCounters Counters { get; } = new();

    public async Task RunAsync(TimeSpan duration, int concurrency, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var cases = Cases().Where(c => skip?.Contains(c.Name) != true).ToArray();
        if (cases.Length == 0)
            throw new InvalidOperationException("every case is skipped");
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => WorkerAsync(cases, new Random(seed + i), stop.Token)));
    }

    private async Task WorkerAsync((string Name, Case Run)[] cases, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var target = targets[random.Next(targets.Count)];
            var (_, run) = cases[random.Next(cases.Length)];
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
            bounded.CancelAfter(CaseTimeout);
            WireClient client;
            try
            {
                client = await WireClient.ConnectAsync(target.Endpoint, bounded.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                if (!stop.IsCancellationRequested)
                {
                    Counters.OnConnectFailure();
                    await Task.Delay(50, CancellationToken.None);
                }
                continue;
            }
            Counters.OnConnection();
            await using (client)
            {
                try
                {
                    await run(client, target, random, bounded.Token);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
                {
                    // The proxy closed on us, or the case ran out of time: both are fine answers to garbage.
                }
            }
        }
    }

    private async Task SendAsync(WireClient client, byte[] bytes, CancellationToken cancellationToken)
    {
        await client.SendAsync(bytes, cancellationToken);
        Counters.OnPackets(1, bytes.Length);
    }

    private async Task SendPacketAsync(WireClient client, byte sequenceId, byte[] payload, CancellationToken cancellationToken)
    {
        await client.SendPacketAsync(sequenceId, payload, cancellationToken);
        Counters.OnPackets(1, payload.Length + 4);
    }

    /// <summary>Reads the answer to a bad packet: an ERR is counted, then whatever follows is drained.</summary>
    private async Task ReadAnswerAsync(WireClient client, CancellationToken cancellationToken)
    {
        if (await client.ReadPacketAsync(cancellationToken) is { } answer && answer.Payload.Length > 0 && answer.Payload[0] == 0xFF)
            Counters.OnErrorReceived();
        await client.DrainAsync(Quiet, cancellationToken);
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]?> GreetingAsync(WireClient client, CancellationToken cancellationToken) =>
        (await client.ReadPacketAsync(cancellationToken))?.Payload;

    private static Task RandomBytesAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken) =>
        SendThenReadAsync(client, RandomBytes(random, 1, 600), cancellationToken);

    private static async Task SendThenReadAsync(WireClient client, byte[] bytes, CancellationToken cancellationToken)
    {
        await client.SendAsync(bytes, cancellationToken);
        await client.DrainAsync(Quiet, cancellationToken);
    }

    private async Task LyingLengthAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        await GreetingAsync(client, cancellationToken);
        var length = random.Next(2) == 0 ? 0xFFFFFF : random.Next(64, 0xFFFFFF);
        await SendAsync(client, [(byte)length, (byte)(length >> 8), (byte)(length >> 16), 1, .. RandomBytes(random, 0, 200)], cancellationToken);
        await ReadAnswerAsync(client, cancellationToken);
    }

    private async Task TruncatedHandshakeAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (await GreetingAsync(client, cancellationToken) is not { } greeting)
            return;
        var response = WireClient.HandshakeResponse(greeting, target.User, target.Password);
        await SendPacketAsync(client, 1, response[..random.Next(response.Length)], cancellationToken);
        await ReadAnswerAsync(client, cancellationToken);
    }

    private async Task MutatedHandshakeAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (await GreetingAsync(client, cancellationToken) is not { } greeting)
            return;
        var response = WireClient.HandshakeResponse(greeting, target.User, target.Password);
        for (var flips = random.Next(1, 6); flips > 0; flips--)
            response[random.Next(response.Length)] = (byte)random.Next(256);
        await SendPacketAsync(client, 1, response, cancellationToken);
        await ReadAnswerAsync(client, cancellationToken);
        // If the mutation left a valid login, the session gets a command numbered wrongly too.
        await SendPacketAsync(client, (byte)random.Next(1, 256), [0x03, .. "SELECT 1"u8], cancellationToken);
        await client.DrainAsync(Quiet, cancellationToken);
    }

    private async Task HandshakeOutOfOrderAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (await GreetingAsync(client, cancellationToken) is not { } greeting)
            return;
        await SendPacketAsync(client, (byte)random.Next(2, 256), WireClient.HandshakeResponse(greeting, target.User, target.Password), cancellationToken);
        await ReadAnswerAsync(client, cancellationToken);
    }

    private async Task TlsGarbageAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (await GreetingAsync(client, cancellationToken) is null)
            return;
        // An SSL request (CLIENT_SSL | PROTOCOL_41 | SECURE_CONNECTION), then bytes that are no TLS hello.
        byte[] request = [0x00, 0xAA, 0x00, 0x00, 0, 0, 0, 1, 45, .. new byte[23]];
        await SendPacketAsync(client, 1, request, cancellationToken);
        await SendAsync(client, RandomBytes(random, 1, 400), cancellationToken);
        await client.DrainAsync(Quiet, cancellationToken);
    }

    private static async Task SilenceAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        await GreetingAsync(client, cancellationToken);
        await Task.Delay(random.Next(500), cancellationToken);
    }

    private async Task<bool> LoginAsync(WireClient client, FuzzTarget target, CancellationToken cancellationToken)
    {
        var ok = await client.LoginAsync(target.User, target.Password, cancellationToken);
        Counters.OnPackets(1, 0);
        if (ok)
            Counters.OnLoginOk();
        return ok;
    }

    private async Task GarbageCommandsAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (!await LoginAsync(client, target, cancellationToken))
            return;
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            // Random bytes as a command: the proxy must answer or close, whatever the first byte says.
            await SendPacketAsync(client, 0, RandomBytes(random, 1, 300), cancellationToken);
            if (!await client.DrainAsync(Quiet, cancellationToken))
                continue;
            return;
        }
    }

    private async Task CommandOutOfOrderAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (!await LoginAsync(client, target, cancellationToken))
            return;
        await SendPacketAsync(client, (byte)random.Next(1, 256), [0x03, .. "SELECT 1"u8], cancellationToken);
        await ReadAnswerAsync(client, cancellationToken);
    }

    private async Task HalfCommandThenResetAsync(WireClient client, FuzzTarget target, Random random, CancellationToken cancellationToken)
    {
        if (!await LoginAsync(client, target, cancellationToken))
            return;
        await SendAsync(client, [200, 0, 0, 0, 0x03, .. "SELECT "u8], cancellationToken);
        client.Abort();
    }
}
