using System.Net;
using System.Net.Sockets;
using ProxyLayer.Backends;
using ProxyLayer.Networking;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Tests.Backends;

/// <summary>Backend connections over real loopback socket pairs, for pool tests; nothing is sent on them.</summary>
internal sealed class LoopbackConnections : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public async Task<BackendConnection> OpenAsync(BackendServer server, BackendPoolKey key)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var peer = await listener.AcceptSocketAsync();
        _owned.Add(new SocketOwner(peer));
        var transport = new SocketTransport(client, zeroByteReads: false);
        var connection = new BackendConnection(server, transport, new PacketChannel(transport.Input, transport.Output), key,
            CapabilityFlags.None, 1, "10.11", null, Environment.TickCount64);
        _owned.Add(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
            await owned.DisposeAsync();
    }

    private sealed class SocketOwner(Socket socket) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
