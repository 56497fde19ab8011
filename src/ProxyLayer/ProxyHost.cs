using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Backends;
using ProxyLayer.Cluster;
using ProxyLayer.Config;
using ProxyLayer.EventsLog;
using ProxyLayer.Mirroring;
using ProxyLayer.Monitor;
using ProxyLayer.Networking;
using ProxyLayer.Scheduler;
using ProxyLayer.Sessions;
using ProxyLayer.Stats;
using ProxyLayer.Stats.Prometheus;

namespace ProxyLayer;

/// <summary>
/// The running proxy: runtime configuration, backend pools and the MySQL listener. Program.cs builds one from the
/// command line; tests build one on port 0.
/// </summary>
internal sealed partial class ProxyHost : IAsyncDisposable, IAdminHostControl, IAdminLiveActions
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessionTasks = [];
    private readonly Lock _sessionTasksGate = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpAcceptor? _mysqlAcceptor;
    private TcpAcceptor? _adminAcceptor;
    private AdminStatementExecutor? _adminExecutor;
    private readonly string _datadir;

    /// <param name="datadir">Where relative file names (the events log) are resolved; the current directory if null.</param>
    public ProxyHost(ILoggerFactory loggerFactory, string? datadir = null)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ProxyHost>();
        _datadir = datadir ?? Directory.GetCurrentDirectory();
        Servers = new BackendServerRegistry();
        Runtime = new RuntimeConfigManager(Servers, loggerFactory.CreateLogger<RuntimeConfigManager>());
        Backends = new BackendConnectionProvider(Runtime, loggerFactory.CreateLogger<BackendConnectionProvider>());
        Sessions = new SessionRegistry();
        Statistics = new QueryStatistics(TimeProvider.System, QueryStatisticsOptions.From(Runtime.Snapshot));
        QueryCache = new QueryResultCache(Runtime);
        Mirror = new StatementMirror(Runtime, Backends, Statistics, loggerFactory.CreateLogger<StatementMirror>());
        EventsLog = new QueryEventsLog(Runtime, Statistics, _datadir, loggerFactory.CreateLogger<QueryEventsLog>());
        Runtime.Changed += snapshot => Statistics.Configure(QueryStatisticsOptions.From(snapshot));
        _poolMaintenance = new BackendPoolMaintenance(Servers, Runtime, loggerFactory.CreateLogger<BackendPoolMaintenance>());
        _watchdog = new AbandonedStatementWatchdog(Sessions);
        // Both interfaces take mysql-connect_timeout_client: ProxySQL bounds no admin login at all, so there is no
        // admin variable to follow, and a second knob for the same "a client may take this long to log in" buys nothing.
        Func<TimeSpan> loginTimeout = () => TimeSpan.FromMilliseconds(Runtime.Snapshot.Settings.ConnectTimeoutClient);
        ClientHosts = new ClientHostErrorCache(
            () => (Runtime.Snapshot.Settings.ClientHostCacheSize, Runtime.Snapshot.Settings.ClientHostErrorCounts), TimeProvider.System);
        MySqlLogins = new LoginGate("mysql", "Client_Connections_", loginTimeout, ClientHosts, LoginLimits.Default, TimeProvider.System,
            loggerFactory.CreateLogger<LoginGate>());
        Writers = new WriterChangeTracker(Runtime, TimeProvider.System);
        StatusChanges = new ServerStatusChanges(Runtime, TimeProvider.System);
        Runtime.BeforeSwap = BeforeRuntimeSwap;
        AdminLogins = new LoginGate("admin", "Admin_Connections_", loginTimeout, null, LoginLimits.Default, TimeProvider.System,
            loggerFactory.CreateLogger<LoginGate>());
        Cluster = new ClusterNode(Runtime, TimeProvider.System, loggerFactory, () => AdminEndpoints) { MonitorRunning = () => _monitor is not null };
        Scheduler = new SchedulerService(Runtime, TimeProvider.System, loggerFactory);
    }

    /// <summary>Runs the runtime's active <c>scheduler</c> rows; follows every LOAD SCHEDULER TO RUNTIME by itself.</summary>
    public SchedulerService Scheduler { get; }

    /// <summary>This node's part in a ProxySQL Cluster: checksums, answers to peers, one check loop per proxysql_servers row.</summary>
    public ClusterNode Cluster { get; }

    /// <summary>Admission and deadlines of logins on the MySQL interface (caps settable by tests before it opens).</summary>
    public LoginGate MySqlLogins { get; }
    /// <summary>Admission and deadlines of logins on the admin interface.</summary>
    public LoginGate AdminLogins { get; }
    /// <summary>Failed logins per client address (mysql-client_host_cache_size / _error_counts).</summary>
    public ClientHostErrorCache ClientHosts { get; }

    private readonly BackendPoolMaintenance _poolMaintenance;
    private readonly AbandonedStatementWatchdog _watchdog;
    private MonitorService? _monitor;
    private MySqlServerProbe? _probe;

    /// <summary>The monitor, once <see cref="StartMonitorAsync"/> ran.</summary>
    public MonitorService? Monitor => _monitor;

    /// <summary>
    /// Starts the backend checks (connect, ping, read_only, lag) and the replication-hostgroup moves. Call after the
    /// configuration is in the runtime; it follows later loads by itself.
    /// </summary>
    public async Task StartMonitorAsync()
    {
        _probe = new MySqlServerProbe();
        _monitor = new MonitorService(Runtime, Servers, Backends.Demand, _probe, TimeProvider.System, _loggerFactory);
        await _monitor.StartAsync().ConfigureAwait(false);
    }

    /// <summary>What fills the admin's <c>monitor</c> (and later <c>stats</c>) tables on read.</summary>
    private CompositeTableRefresher CreateTableRefresher() =>
        new([StatsTableRefresher.For(this, Statistics, TimeProvider.System, MoreGlobalRows),
            .. _monitor is null ? Array.Empty<IAdminTableRefresher>() : [new MonitorTableRefresher(_monitor.Logs)]]);

    public BackendServerRegistry Servers { get; }
    public RuntimeConfigManager Runtime { get; }
    public BackendConnectionProvider Backends { get; }
    public SessionRegistry Sessions { get; }
    /// <summary>Query digests and counters behind the <c>stats_*</c> admin tables.</summary>
    public QueryStatistics Statistics { get; }
    /// <summary>Results of statements whose rule sets cache_ttl.</summary>
    public QueryResultCache QueryCache { get; }
    /// <summary>Copies of statements for mirror hostgroups, run off the clients' path.</summary>
    public StatementMirror Mirror { get; }
    /// <summary>The events log (rules with log=1, or every statement with mysql-eventslog_default_log=1).</summary>
    public QueryEventsLog EventsLog { get; }

    /// <summary>
    /// The certificate clients may upgrade to TLS with (offered while <c>mysql-have_ssl</c> is true); set before the
    /// MySQL interface opens. Null: TLS is never offered.
    /// </summary>
    public FrontendTls? ClientTls { get; set; }

    /// <summary>The RSA key for caching_sha2_password without TLS (in memory unless set from the data directory) and learnt passwords.</summary>
    public FrontendAuthContext ClientAuth { get; } = new(FrontendRsaKey.InMemory());

    /// <summary>Share the listening ports with other processes (<c>-r</c>/<c>--reuseport</c>); set before the interfaces open.</summary>
    public bool ReusePort { get; set; }

    /// <summary>Where the MySQL interface listens (port 0 resolved).</summary>
    public IReadOnlyList<IPEndPoint> MySqlEndpoints => _mysqlAcceptor?.BoundEndpoints ?? [];

    /// <summary>Where the admin interface listens (port 0 resolved); empty if it was not started.</summary>
    public IReadOnlyList<IPEndPoint> AdminEndpoints => _adminAcceptor?.BoundEndpoints ?? [];

    /// <summary>Completes when an admin asked for <c>PROXYSQL SHUTDOWN</c>.</summary>
    public Task StopRequested => _stopRequested.Task;

    /// <summary>Loads <paramref name="config"/> to runtime and opens the MySQL interface on <paramref name="mysqlInterfaces"/>.</summary>
    public void Start(ProxyConfig config, IEnumerable<IPEndPoint> mysqlInterfaces)
    {
        var applied = Runtime.Apply(config);
        if (!applied.Succeeded)
            throw new InvalidOperationException("the configuration is invalid: " + string.Join("; ", applied.Errors));
        StartMySql(mysqlInterfaces);
    }

    /// <summary>Opens the MySQL interface on the configuration already in the runtime.</summary>
    public void StartMySql(IEnumerable<IPEndPoint> mysqlInterfaces)
    {
        var sessionLogger = _loggerFactory.CreateLogger<ClientSession>();
        _mysqlAcceptor = new TcpAcceptor("mysql", (socket, token) => RunSessionAsync(socket, sessionLogger),
            _loggerFactory.CreateLogger<TcpAcceptor>(), ReusePort);
        _mysqlAcceptor.Start(mysqlInterfaces);
    }

    /// <summary>
    /// Starts as the process does: the store's MEMORY layer is loaded to runtime, then the admin interface and (unless
    /// <paramref name="startMySql"/> is false, <c>--no-start</c>) the MySQL interface open, on the configured
    /// interfaces or the given ones (tests pass port 0). Throws if the stored configuration is invalid.
    /// </summary>
    public async Task<RuntimeApplyResult> StartWithAdminAsync(AdminStore store, bool startMySql = true, bool startMonitor = true,
        IEnumerable<IPEndPoint>? mysqlInterfaces = null, IEnumerable<IPEndPoint>? adminInterfaces = null)
    {
        var loaded = new AdminStatementExecutor(store, Runtime, cluster: Cluster).LoadAllToRuntime();
        if (!loaded.Succeeded)
            throw new InvalidOperationException("the configuration is invalid: " + string.Join("; ", loaded.Errors));
        if (startMonitor)
            await StartMonitorAsync().ConfigureAwait(false);
        var tables = CreateTableRefresher();
        var executor = new AdminStatementExecutor(store, Runtime, tables, live: this, cluster: Cluster);
        Cluster.Attach(executor);
        StartStatsHistory(store, tables);
        var snapshot = Runtime.Snapshot;
        StartAdmin(executor, adminInterfaces ?? snapshot.Admin.MysqlIfaces.Select(EndpointResolver.Resolve));
        if (startMySql)
            StartMySql(mysqlInterfaces ?? snapshot.Settings.Interfaces.Select(EndpointResolver.Resolve));
        return loaded;
    }

    /// <summary>Opens the admin interface: each login runs its statements through <paramref name="executor"/>.</summary>
    public void StartAdmin(AdminStatementExecutor executor, IEnumerable<IPEndPoint> adminInterfaces)
    {
        _adminExecutor = executor;
        var adminLogger = _loggerFactory.CreateLogger<AdminSession>();
        _adminAcceptor = new TcpAcceptor("admin", (socket, token) => RunAdminSessionAsync(socket, executor, adminLogger),
            _loggerFactory.CreateLogger<TcpAcceptor>(), ReusePort);
        _adminAcceptor.Start(adminInterfaces);
    }

    /// <summary>
    /// <c>admin-mysql_ifaces</c> changes live, as in ProxySQL: a load that changes it opens the new interfaces before it
    /// takes effect and fails, naming the port and its holder, if one cannot be bound; the running listeners stay then.
    /// (<c>mysql-interfaces</c> takes effect at restart, as in ProxySQL.)
    /// </summary>
    private string? ReopenChangedAdminInterfaces(RuntimeSnapshot running, RuntimeSnapshot next)
    {
        if (_adminAcceptor is null || running.Admin.MysqlIfaces.SequenceEqual(next.Admin.MysqlIfaces))
            return null;
        try
        {
            _adminAcceptor.Replace([.. next.Admin.MysqlIfaces.Select(EndpointResolver.Resolve)]);
            return null;
        }
        catch (Exception ex) when (ex is ListenerBindException or NotSupportedException or InvalidOperationException or SocketException)
        {
            return $"admin-mysql_ifaces: {ex.Message}; the admin interface keeps listening on {string.Join(", ", AdminEndpoints)}";
        }
    }

    private async Task RunAdminSessionAsync(Socket socket, AdminStatementExecutor executor, ILogger logger)
    {
        if (await AdminLogins.AdmitAsync(socket, _stopping.Token).ConfigureAwait(false) is not { } login)
            return;
        var session = new AdminSession(new SocketTransport(socket) { Login = login }, Sessions.NextConnectionId(), Runtime, executor, this, logger)
        {
            Tls = ClientTls,
            AuthContext = ClientAuth,
        };
        await Track(session.RunAsync(_stopping.Token)).ConfigureAwait(false);
    }

    /// <summary><c>PROXYSQL SHUTDOWN</c> stops the process; <c>PROXYSQL RESTART</c> reloads every module from disk into runtime.</summary>
    public void Handle(AdminResult command)
    {
        switch (command)
        {
            case AdminResult.Shutdown shutdown:
                LogShutdownRequested(shutdown.Graceful ? "PROXYSQL SHUTDOWN SLOW" : "PROXYSQL SHUTDOWN");
                _stopRequested.TrySetResult();
                break;
            case AdminResult.Restart when _adminExecutor is not null:
                LogRestart();
                var context = new AdminSessionContext("restart");
                foreach (var module in (string[])["MYSQL SERVERS", "MYSQL USERS", "MYSQL QUERY RULES", "MYSQL VARIABLES", "ADMIN VARIABLES", "SCHEDULER"])
                    _adminExecutor.Execute($"LOAD {module} FROM DISK", context);
                var applied = _adminExecutor.LoadAllToRuntime();
                if (!applied.Succeeded)
                    LogRestartFailed(string.Join("; ", applied.Errors));
                break;
        }
    }

    void IAdminLiveActions.FlushQueryCache() => LogQueryCacheFlushed(QueryCache.Clear());

    void IAdminLiveActions.FlushLogs() => EventsLog.Rotate();

    private async Task RunSessionAsync(Socket socket, ILogger sessionLogger)
    {
        if (await MySqlLogins.AdmitAsync(socket, _stopping.Token).ConfigureAwait(false) is not { } login)
            return;
        var transport = SocketTransport.ForDataPath(socket, login);
        var session = new ClientSession(transport, Sessions.NextConnectionId(), Runtime, Backends, Sessions, Statistics, QueryCache,
            Mirror, EventsLog, ClientTls, Servers.Identity, sessionLogger) { AuthContext = ClientAuth };
        await Track(session.RunAsync(_stopping.Token)).ConfigureAwait(false);
    }

    private Task Track(Task task)
    {
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
        await Cluster.DisposeAsync().ConfigureAwait(false);
        if (_mysqlAcceptor is not null)
            await _mysqlAcceptor.DisposeAsync().ConfigureAwait(false);
        if (_adminAcceptor is not null)
            await _adminAcceptor.DisposeAsync().ConfigureAwait(false);
        await StopRestApiAsync().ConfigureAwait(false);
        await Scheduler.DisposeAsync().ConfigureAwait(false);
        await StopDashboardAsync().ConfigureAwait(false);
        await StopStatsHistoryAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_sessionTasksGate)
            running = [.. _sessionTasks];
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        await _watchdog.DisposeAsync().ConfigureAwait(false);
        await Mirror.DisposeAsync().ConfigureAwait(false);
        await EventsLog.DisposeAsync().ConfigureAwait(false);
        await _poolMaintenance.DisposeAsync().ConfigureAwait(false);
        if (_monitor is not null)
            await _monitor.DisposeAsync().ConfigureAwait(false);
        if (_probe is not null)
            await _probe.DisposeAsync().ConfigureAwait(false);
        foreach (var server in Servers.All)
        {
            foreach (var connection in server.DrainAll())
                await connection.DisposeAsync().ConfigureAwait(false);
        }
        LogStopped(running.Length);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} received on the admin interface: stopping")]
    private partial void LogShutdownRequested(string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PROXYSQL RESTART: reloading every module from disk into memory and runtime (unsaved MEMORY changes are lost)")]
    private partial void LogRestart();

    [LoggerMessage(Level = LogLevel.Error, Message = "PROXYSQL RESTART: the configuration on disk was rejected, runtime unchanged: {Errors}")]
    private partial void LogRestartFailed(string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "PROXYSQL FLUSH QUERY CACHE: {Entries} entries dropped")]
    private partial void LogQueryCacheFlushed(int entries);

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy stopped ({Sessions} sessions were open)")]
    private partial void LogStopped(int sessions);
}
