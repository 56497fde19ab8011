using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Networking;
using ProxyLayer.Sessions;

namespace ProxyLayer;

/// <summary>
/// The running proxy: runtime configuration, backend pools and the MySQL listener. Program.cs builds one from the
/// command line; tests build one on port 0.
/// </summary>
internal sealed partial class ProxyHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessionTasks = [];
    private readonly Lock _sessionTasksGate = new();
    private TcpAcceptor? _mysqlAcceptor;

    public ProxyHost(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ProxyHost>();
        Servers = new BackendServerRegistry();
        Runtime = new RuntimeConfigManager(Servers, loggerFactory.CreateLogger<RuntimeConfigManager>());
        Backends = new BackendConnectionProvider(Runtime, loggerFactory.CreateLogger<BackendConnectionProvider>());
        Sessions = new SessionRegistry();
    }

    public BackendServerRegistry Servers { get; }
    public RuntimeConfigManager Runtime { get; }
    public BackendConnectionProvider Backends { get; }
    public SessionRegistry Sessions { get; }

    /// <summary>Where the MySQL interface listens (port 0 resolved).</summary>
    public IReadOnlyList<IPEndPoint> MySqlEndpoints => _mysqlAcceptor?.BoundEndpoints ?? [];

    /// <summary>Loads <paramref name="config"/> to runtime and opens the MySQL interface on <paramref name="mysqlInterfaces"/>.</summary>
    public void Start(ProxyConfig config, IEnumerable<IPEndPoint> mysqlInterfaces)
    {
        var applied = Runtime.Apply(config);
        if (!applied.Succeeded)
            throw new InvalidOperationException("the configuration is invalid: " + string.Join("; ", applied.Errors));
        var sessionLogger = _loggerFactory.CreateLogger<ClientSession>();
        _mysqlAcceptor = new TcpAcceptor("mysql", (socket, token) => RunSessionAsync(socket, sessionLogger),
            _loggerFactory.CreateLogger<TcpAcceptor>());
        _mysqlAcceptor.Start(mysqlInterfaces);
    }

    private Task RunSessionAsync(Socket socket, ILogger sessionLogger)
    {
        var transport = new SocketTransport(socket);
        var session = new ClientSession(transport, Sessions.NextConnectionId(), Runtime, Backends, Sessions, sessionLogger);
        var task = session.RunAsync(_stopping.Token);
        lock (_sessionTasksGate)
        {
            _sessionTasks.RemoveAll(static t => t.IsCompleted);
            _sessionTasks.Add(task);
        }
        return task;
    }

    /// <summary>Stops listening, ends every session (each closes its backend connection) and closes pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_mysqlAcceptor is not null)
            await _mysqlAcceptor.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_sessionTasksGate)
            running = [.. _sessionTasks];
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        foreach (var server in Servers.All)
        {
            foreach (var connection in server.DrainAll())
                await connection.DisposeAsync().ConfigureAwait(false);
        }
        LogStopped(running.Length);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy stopped ({Sessions} sessions were open)")]
    private partial void LogStopped(int sessions);
}
