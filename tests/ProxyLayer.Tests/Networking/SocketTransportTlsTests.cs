using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using ProxyLayer.Networking;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Tests.Networking;

/// <summary>A real loopback socket pair: the client side sends an SSL request and its TLS hello back to back.</summary>
public sealed class SocketTransportTlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _datadir = Directory.CreateTempSubdirectory("proxylayer-tls-");

    public void Dispose() => _datadir.Delete(recursive: true);

    [Fact]
    public async Task Tls_hello_read_together_with_the_ssl_request_still_reaches_the_handshake()
    {
        var tls = FrontendTls.LoadOrCreate(_datadir.FullName);
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        await using var server = new SocketTransport(await listener.AcceptAsync());
        using var channel = new PacketChannel(server.Input, server.Output);

        // The client does not wait for anything between its SSL request and its TLS hello.
        await using var clientStream = new NetworkStream(client);
        using var payload = new PayloadWriter();
        new HandshakeResponse41Packet
        {
            Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.Ssl,
            Username = "",
        }.WriteSslRequest(payload);
        var request = Frame(payload.Payload, 1);
        await clientStream.WriteAsync(request);
        await using var clientTls = new SslStream(clientStream, leaveInnerStreamOpen: true,
            (_, certificate, _, _) => certificate?.GetCertHashString() == tls.Certificate.GetCertHashString());
        var clientHandshake = clientTls.AuthenticateAsClientAsync("localhost");
        await Task.Delay(300); // the hello is in the socket before the server reads anything

        var read = await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(HandshakeResponse41Packet.IsSslRequest(read.Payload.Span));
        await server.StartTlsAsync((stream, token) => stream.AuthenticateAsServerAsync(tls.ServerOptions, token), default).AsTask().WaitAsync(Timeout);
        channel.SwitchPipes(server.Input, server.Output);
        await clientHandshake.WaitAsync(Timeout);

        await clientTls.WriteAsync(Frame([0x0e], 0));
        var ping = await channel.ReadPayloadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal([0x0e], ping.Payload.ToArray());
        Assert.NotNull(server.Tls);
    }

    private static byte[] Frame(ReadOnlySpan<byte> payload, byte sequenceId)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        PacketFramer.WritePackets(output, payload, sequenceId);
        return output.WrittenSpan.ToArray();
    }
}
