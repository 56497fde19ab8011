using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// A connection that starts a login and never finishes it, and how long the proxy took to close it (measured from the
/// moment it was connected).
/// </summary>
internal sealed class StalledLogin : IAsyncDisposable
{
    public enum Stall
    {
        /// <summary>Reads the greeting, sends nothing.</summary>
        Silent,
        /// <summary>Sends two of a packet header's four bytes.</summary>
        HalfHeader,
        /// <summary>Sends a header announcing 100 bytes, then 10 of them.</summary>
        PartialPacket,
    }

    private readonly Socket _socket;
    private readonly Stopwatch _since;

    private StalledLogin(Socket socket)
    {
        _socket = socket;
        _since = Stopwatch.StartNew();
        Closed = WaitForCloseAsync();
    }

    /// <summary>Completes with the time from connect to the proxy's close (EOF or reset).</summary>
    public Task<TimeSpan> Closed { get; }

    public static async Task<StalledLogin> OpenAsync(IPEndPoint proxy, IPAddress from, Stall stall)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(proxy);
            var login = new StalledLogin(socket);
            byte[] bytes = stall switch
            {
                Stall.HalfHeader => [0x20, 0x00],
                Stall.PartialPacket => [100, 0, 0, 1, .. new byte[10]],
                _ => [],
            };
            if (bytes.Length > 0)
                await socket.SendAsync(bytes);
            return login;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<TimeSpan> WaitForCloseAsync()
    {
        var buffer = new byte[1024];
        try
        {
            while (await _socket.ReceiveAsync(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
            return TimeSpan.MaxValue;
        }
        return _since.Elapsed;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
