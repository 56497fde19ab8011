using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// A real mariadbd in its own temp directory on a free loopback port, with the rig accounts, binary
/// log and GTID settings so it can be a primary or a replica. When the rig runs as root each server
/// has its own UTS namespace and <c>SELECT @@hostname</c> returns <see cref="Name"/>.
/// </summary>
public sealed partial class MariaDbServer : IAsyncDisposable
{
    private const int PortAttempts = 3;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static int _lastServerId = 100;

    private readonly TimeSpan _startTimeout;
    private Process? _process;
    private int _disposed;

    private MariaDbServer(string name, int serverId, string directory, MariaDbServerOptions options)
    {
        Name = name;
        ServerId = serverId;
        Directory = directory;
        Port = PortAllocator.GetFreePort();
        HasOwnHostname = RigEnvironment.CanIsolateHostname;
        _startTimeout = options.StartTimeout;
        Galera = options.Galera;
        if (options.Tls)
            Certificates = TestCertificates.Create(directory);
    }

    public string Name { get; }

    /// <summary>The CA, certificate and key the server offers TLS with; null when started without TLS.</summary>
    public TestCertificates? Certificates { get; }

    public int ServerId { get; }

    /// <summary>The node's Galera ports and cluster, when it was started as a Galera node.</summary>
    public GaleraNodeOptions? Galera { get; }

    public string Host { get; } = "127.0.0.1";

    /// <summary>Fixed for the server's lifetime, restarts included.</summary>
    public int Port { get; private set; }

    /// <summary>The server's own folder: datadir, socket, logs.</summary>
    public string Directory { get; }

    public string DataDir => Path.Combine(Directory, "data");

    public string SocketPath => Path.Combine(Directory, "mariadbd.sock");

    public string ErrorLogPath => Path.Combine(Directory, "error.log");

    /// <summary>Where the launcher shell (hostname, unshare) writes; mariadbd itself logs to <see cref="ErrorLogPath"/>.</summary>
    public string LauncherLogPath => Path.Combine(Directory, "launcher.log");

    /// <summary>
    /// True when <c>@@hostname</c> is <see cref="Name"/>; false when not running as root (or unshare is not
    /// allowed), in which case every server reports the machine's hostname.
    /// </summary>
    public bool HasOwnHostname { get; }

    /// <summary>What <c>SELECT @@hostname</c> returns on this server.</summary>
    public string ExpectedHostname => HasOwnHostname ? Name : Environment.MachineName;

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => IsRunning ? _process!.Id : null;

    public static async Task<MariaDbServer> StartAsync(
        string name,
        MariaDbServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new MariaDbServerOptions();
        var serverId = options.ServerId ?? Interlocked.Increment(ref _lastServerId);
        var server = new MariaDbServer(name, serverId, RigDirectory.CreateInstanceDirectory(name), options);
        RigCleanup.Track(server);
        try
        {
            await MariaDbTemplate.CopyToAsync(server.DataDir, cancellationToken);
            if (options.Galera?.JoinPosition is { } position)
                GaleraArguments.WriteSavedState(server.DataDir, position);
            await server.LaunchOnFreePortAsync(options.ReadOnly, cancellationToken);
            if (options.CreateSchema)
                await server.ExecuteAsync(RigSql.Schema, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string user, string password, string? database = null)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = (uint)Port,
            UserID = user,
            Password = password,
            SslMode = MySqlSslMode.None,
            // servers are killed and restarted under tests; pooled connections would go stale
            Pooling = false,
            ConnectionTimeout = 5,
            DefaultCommandTimeout = 120,
        };
        if (database is not null)
            builder.Database = database;
        return builder.ConnectionString;
    }

    /// <summary>SIGKILL, like a crash; the datadir stays for <see cref="RestartAsync"/>.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Clean shutdown (SIGTERM); falls back to SIGKILL after 30 s.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { HasExited: false } process)
            return;
        Signals.Send(process.Id, Signals.Terminate);
        Signals.Send(process.Id, Signals.Continue); // a suspended server must run to shut down
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server if it runs, then starts it again on the same datadir and port.</summary>
    public async Task RestartAsync(bool readOnly = false, CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await LaunchAsync(readOnly, cancellationToken);
    }

    /// <summary>SIGSTOP: the server keeps its sockets but answers nothing, like a hung host.</summary>
    public void Suspend() => Signals.Send(RunningProcessId(), Signals.Stop);

    /// <summary>SIGCONT after <see cref="Suspend"/>.</summary>
    public void Resume() => Signals.Send(RunningProcessId(), Signals.Continue);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        KillImmediately();
        if (_process is not null)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _process.WaitForExitAsync(timeout.Token);
            _process.Dispose();
            _process = null;
        }

        RigDirectory.TryDelete(Directory);
        RigCleanup.Untrack(this);
    }

    public override string ToString() => $"{Name} (127.0.0.1:{Port})";

    /// <summary>Synchronous SIGKILL for the process-exit handler.</summary>
    internal void KillImmediately()
    {
        try
        {
            if (_process is { HasExited: false })
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private int RunningProcessId() =>
        ProcessId ?? throw new InvalidOperationException($"{this} is not running.");

    /// <summary>
    /// The port from <see cref="PortAllocator"/> is free when picked but can be taken before mariadbd binds
    /// it; only the first start may move to another port, later restarts keep it.
    /// </summary>
    private async Task LaunchOnFreePortAsync(bool readOnly, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchAsync(readOnly, cancellationToken);
                return;
            }
            catch (MariaDbStartException) when (attempt < PortAttempts && ErrorLogMentionsPortInUse())
            {
                Port = PortAllocator.GetFreePort();
            }
        }
    }

    private bool ErrorLogMentionsPortInUse() =>
        LogTail.Read(ErrorLogPath).Contains("Address already in use", StringComparison.OrdinalIgnoreCase);

    private async Task LaunchAsync(bool readOnly, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (IsRunning)
            throw new InvalidOperationException($"{this} is already running.");
        _process?.Dispose();
        _process = MariaDbLauncher.Start(
            HasOwnHostname ? Name : null,
            LauncherLogPath,
            MariaDbArguments.ForServer(this, readOnly));
        await WaitUntilReadyAsync(_process, cancellationToken);
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var probe = new MySqlConnectionStringBuilder(ConnectionString(RigCredentials.AdminUser, RigCredentials.AdminPassword))
        {
            ConnectionTimeout = 2,
        }.ConnectionString;
        while (true)
        {
            if (process.HasExited)
                throw new MariaDbStartException($"mariadbd for {this} exited with code {process.ExitCode} while starting.{Logs()}");
            try
            {
                await using var connection = new MySqlConnection(probe);
                await connection.OpenAsync(cancellationToken);
                if (await ServesOurDataDirAsync(connection, cancellationToken))
                    return;
                // Another rig's server holds the port (ours fails to bind and exits with
                // "Address already in use", which LaunchOnFreePortAsync retries on).
                KillImmediately();
                await process.WaitForExitAsync(cancellationToken);
                throw new MariaDbStartException($"Port {Port} is answered by another MariaDB server, not {this}.{Logs()}");
            }
            catch (MySqlException) when (deadline.Elapsed < _startTimeout)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (MySqlException exception)
            {
                throw new MariaDbStartException(
                    $"mariadbd for {this} did not accept connections within {_startTimeout.TotalSeconds:0} s: {exception.Message}{Logs()}");
            }
        }
    }

    private async Task<bool> ServesOurDataDirAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SELECT @@global.datadir", connection);
        var dataDir = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "";
        return Path.TrimEndingDirectorySeparator(dataDir) == Path.TrimEndingDirectorySeparator(DataDir);
    }

    private string Logs() =>
        $"{Environment.NewLine}{LogTail.Read(ErrorLogPath)}{Environment.NewLine}{LogTail.Read(LauncherLogPath, 10)}";
}
