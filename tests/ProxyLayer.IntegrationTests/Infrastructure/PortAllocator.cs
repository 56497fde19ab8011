using System.Net;
using System.Net.Sockets;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// Free loopback ports, found by binding port 0. A port is handed out once per test run, so two
/// servers started at the same time never get the same one; another process can still take it
/// between release and use, which <see cref="MariaDbServer"/> handles by retrying on a new port.
/// </summary>
public static class PortAllocator
{
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock HandedOutLock = new();

    public static int GetFreePort()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (HandedOutLock)
            {
                if (HandedOut.Add(port))
                    return port;
            }
        }
    }
}
