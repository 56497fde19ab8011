using System.Net;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Config;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// The proxy started the way the process starts it: a data directory with proxysql.db, a config file, the
/// precedence flags, then the admin and MySQL interfaces (on ports the OS picks). Stopping and starting it again on
/// the same directory is a restart.
/// </summary>
internal sealed class AdminProxyUnderTest : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly AdminStore _store;

    private AdminProxyUnderTest(ProxyHost host, AdminStore store, ILoggerFactory loggerFactory, AdminStartupSource source)
    {
        Host = host;
        _store = store;
        _loggerFactory = loggerFactory;
        Source = source;
    }

    public ProxyHost Host { get; }
    public AdminStartupSource Source { get; }
    public int AdminPort => Host.AdminEndpoints[0].Port;
    public int MySqlPort => Host.MySqlEndpoints[0].Port;

    public static async Task<AdminProxyUnderTest> StartAsync(string datadir, string? configPath, ITestOutputHelper output, bool initial = false,
        bool reload = false, bool monitor = true, Networking.FrontendTls? tls = null, ILoggerProvider? alsoLogTo = null)
    {
        var loggerFactory = XunitLoggerProvider.CreateFactory(output);
        if (alsoLogTo is not null)
            loggerFactory.AddProvider(alsoLogTo);
        var opened = AdminStore.Open(datadir, configPath is null ? null : ConfigFileSource.FromPath(configPath), initial, reload);
        var host = new ProxyHost(loggerFactory, datadir) { ClientTls = tls };
        try
        {
            await host.StartWithAdminAsync(opened.Store, startMonitor: monitor, mysqlInterfaces: [new IPEndPoint(IPAddress.Loopback, 0)],
                adminInterfaces: [new IPEndPoint(IPAddress.Loopback, 0)]);
        }
        catch
        {
            await host.DisposeAsync();
            opened.Store.Dispose();
            loggerFactory.Dispose();
            throw;
        }
        return new AdminProxyUnderTest(host, opened.Store, loggerFactory, opened.Source);
    }

    /// <summary>Runs SQL through the stock <c>mariadb</c> client on the admin port, as a DBA would.</summary>
    public Task<ProcessResult> AdminAsync(string sql, string user = "radmin", string password = "radmin") =>
        MariaDbCli.RunAsync([.. MariaDbCli.TcpArguments("127.0.0.1", AdminPort, user, password), "--batch", "--skip-column-names",
            "--prompt", "ProxySQL Admin>"], standardInput: sql);

    /// <summary>Runs SQL through the stock <c>mariadb</c> client on the MySQL port.</summary>
    public Task<ProcessResult> MySqlAsync(string sql, string user = RigCredentials.AppUser, string password = RigCredentials.AppPassword) =>
        MariaDbCli.RunAsync([.. MariaDbCli.TcpArguments("127.0.0.1", MySqlPort, user, password), "--batch", "--skip-column-names", "-e", sql]);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _store.Dispose();
        _loggerFactory.Dispose();
    }
}
