using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Networking;

namespace ProxyLayer.Tests.Networking;

public sealed class ListenerSocketTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public void A_bound_port_cannot_be_bound_again_and_the_error_names_port_and_holder()
    {
        using var first = ListenerSocket.Open("mysql", AnyLoopbackPort, reusePort: false);
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;

        var error = Assert.Throws<ListenerBindException>(() => ListenerSocket.Open("mysql", new IPEndPoint(IPAddress.Loopback, port), reusePort: false));

        Assert.Contains($"port {port} is already in use", error.Message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
            Assert.Contains($"process {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Even_with_reuseport_asked_a_holder_that_does_not_share_keeps_its_port()
    {
        using var first = ListenerSocket.Open("mysql", AnyLoopbackPort, reusePort: false);
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;
        Assert.Throws<ListenerBindException>(() => ListenerSocket.Open("mysql", new IPEndPoint(IPAddress.Loopback, port), reusePort: true));
    }

    [Fact]
    public void With_reuseport_on_both_the_port_is_shared()
    {
        using var first = ListenerSocket.Open("mysql", AnyLoopbackPort, reusePort: true);
        using var second = ListenerSocket.Open("mysql", (IPEndPoint)first.LocalEndPoint!, reusePort: true);
        Assert.Equal(((IPEndPoint)first.LocalEndPoint!).Port, ((IPEndPoint)second.LocalEndPoint!).Port);
    }

    [Fact]
    public async Task An_acceptor_opens_all_its_endpoints_or_none()
    {
        using var taken = ListenerSocket.Open("other", AnyLoopbackPort, reusePort: false);
        var free = new IPEndPoint(IPAddress.Loopback, FreePort());
        await using var acceptor = new TcpAcceptor("mysql", static (s, _) => { s.Dispose(); return Task.CompletedTask; }, NullLogger.Instance);

        Assert.Throws<ListenerBindException>(() => acceptor.Start([free, (IPEndPoint)taken.LocalEndPoint!]));

        Assert.Empty(acceptor.BoundEndpoints);
        using var again = ListenerSocket.Open("check", free, reusePort: false); // the first one was closed again
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(AnyLoopbackPort);
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
