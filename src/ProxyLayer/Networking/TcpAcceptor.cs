using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProxyLayer.Networking;

/// <summary>
/// Listens on a set of endpoints and hands every accepted socket to a handler on its own task. A failing handler
/// ends its own connection only. Each port is owned (see <see cref="ListenerSocket"/>) unless
/// <c>reusePort</c> shares it.
/// </summary>
internal sealed partial class TcpAcceptor : IAsyncDisposable
{
    private readonly string _name;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly ILogger _logger;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _reusePort;

    public TcpAcceptor(string name, Func<Socket, CancellationToken, Task> handler, ILogger logger, bool reusePort = false)
    {
        _name = name;
        _reusePort = reusePort;
        _handler = handler;
        _logger = logger;
    }

    private readonly Lock _listenersGate = new();

    /// <summary>The endpoints actually bound (port 0 resolved).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints
    {
        get
        {
            lock (_listenersGate)
                return [.. _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!)];
        }
    }

    /// <summary>
    /// Listens on exactly <paramref name="endpoints"/> from now on: the new ones are opened first, all or none
    /// (<see cref="ListenerBindException"/> otherwise, and every running listener stays), then those no longer wanted
    /// are closed. Connections already accepted are not touched.
    /// </summary>
    public void Replace(IReadOnlyCollection<IPEndPoint> endpoints)
    {
        lock (_listenersGate)
        {
            var unwanted = _listeners.Where(l => !endpoints.Contains((IPEndPoint)l.LocalEndPoint!)).ToList();
            Start(endpoints.Where(e => !_listeners.Any(l => e.Equals(l.LocalEndPoint))).ToList());
            foreach (var listener in unwanted)
            {
                LogClosing(_name, listener.LocalEndPoint!);
                _listeners.Remove(listener);
                listener.Dispose();
            }
        }
    }

    /// <summary>
    /// Opens every endpoint or none: if one cannot be bound, those opened by this call are closed again (listeners
    /// already running stay) and <see cref="ListenerBindException"/> names the port and its holder.
    /// </summary>
    public void Start(IEnumerable<IPEndPoint> endpoints)
    {
        var opened = new List<Socket>();
        try
        {
            foreach (var endpoint in endpoints)
                opened.Add(ListenerSocket.Open(_name, endpoint, _reusePort));
        }
        catch
        {
            foreach (var listener in opened)
                listener.Dispose();
            throw;
        }
        lock (_listenersGate)
            _listeners.AddRange(opened);
        foreach (var listener in opened)
        {
            LogListening(_name, listener.LocalEndPoint!, _reusePort ? " (port shared: SO_REUSEPORT)" : "");
            _acceptLoops.Add(AcceptLoopAsync(listener));
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(_name, ex.Message);
                continue;
            }
            _ = RunHandlerAsync(socket);
        }
    }

    private async Task RunHandlerAsync(Socket socket)
    {
        try
        {
            await Task.Yield();
            await _handler(socket, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(_name, ex);
            socket.Dispose();
        }
    }

    /// <summary>Stops accepting; connections already handed out keep running until their owners close them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_listenersGate)
        {
            foreach (var listener in _listeners)
                listener.Dispose();
        }
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: listening on {Endpoint}{Shared}")]
    private partial void LogListening(string name, EndPoint endpoint, string shared);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: no longer listening on {Endpoint}")]
    private partial void LogClosing(string name, EndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: accept failed: {Error}")]
    private partial void LogAcceptFailed(string name, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name}: connection handler failed")]
    private partial void LogHandlerFailed(string name, Exception exception);
}
