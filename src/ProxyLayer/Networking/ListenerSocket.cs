using System.Net;
using System.Net.Sockets;

namespace ProxyLayer.Networking;

/// <summary>
/// Opens a listening socket that owns its port. .NET's <c>ReuseAddress</c> sets SO_REUSEPORT as well on Linux, which
/// lets a second process bind the same port and take half the connections without a word; so the options are set
/// here one by one: SO_REUSEADDR only (a restart can bind while old connections linger in TIME_WAIT), and
/// SO_REUSEPORT only when the operator asked to share (<c>-r</c>/<c>--reuseport</c>, as in ProxySQL).
/// </summary>
internal static class ListenerSocket
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;
    private const int Backlog = 1024;

    public static Socket Open(string owner, IPEndPoint endpoint, bool reusePort)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            SetReuseOptions(listener, reusePort);
            listener.Bind(endpoint);
            listener.Listen(Backlog);
            return listener;
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new ListenerBindException(Describe(owner, endpoint, ex, reusePort), ex);
        }
    }

    private static void SetReuseOptions(Socket listener, bool reusePort)
    {
        if (OperatingSystem.IsLinux())
        {
            listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            if (reusePort)
                listener.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        }
        else if (reusePort)
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }
    }

    private static string Describe(string owner, IPEndPoint endpoint, SocketException ex, bool reusePort)
    {
        if (ex.SocketErrorCode != SocketError.AddressAlreadyInUse)
            return $"{owner}: cannot listen on {endpoint}: {ex.Message}";
        var holder = PortHolder.Describe(endpoint.Port) is { } process ? $"held by {process}" : "held by another socket (process unknown)";
        var hint = reusePort ? "the holder does not share it (SO_REUSEPORT)" : "start with -r/--reuseport on every instance to share it";
        return $"{owner}: port {endpoint.Port} is already in use ({endpoint}, {holder}); {hint}";
    }
}

/// <summary>A listener could not be opened; the message names the port and, when known, the process holding it.</summary>
internal sealed class ListenerBindException(string message, Exception inner) : InvalidOperationException(message, inner);
