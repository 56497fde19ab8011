using System.Net;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ProxyLayer.Admin;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Cluster;

/// <summary>
/// One ProxyLayer cluster node started as the process starts it (data directory, config file), on fixed loopback
/// ports so a restart keeps its place in its peers' proxysql_servers. <paramref name="hooks"/> lets a test put
/// something between the admin interface and the node's cluster answers (a lying peer).
/// </summary>
internal sealed class ClusterNodeUnderTest : IAsyncDisposable
{
    public const string ClusterUser = "cluster";
    public const string ClusterPassword = "clusterpass";

    private readonly ILoggerFactory _loggerFactory;
    private readonly AdminStore _store;

    private ClusterNodeUnderTest(ProxyHost host, AdminStore store, ILoggerFactory loggerFactory, int adminPort, int mySqlPort)
    {
        Host = host;
        _store = store;
        _loggerFactory = loggerFactory;
        AdminPort = adminPort;
        MySqlPort = mySqlPort;
    }

    public ProxyHost Host { get; }
    public int AdminPort { get; }
    public int MySqlPort { get; }

    /// <summary>Writes the node's config file (unless there is one) and starts the node on it.</summary>
    public static async Task<ClusterNodeUnderTest> StartAsync(string directory, int adminPort, int mySqlPort, string seed, ITestOutputHelper output,
        string adminExtra = "", Func<ProxyHost, IAdminClusterHooks>? hooks = null)
    {
        var datadir = Path.Combine(directory, "data");
        Directory.CreateDirectory(datadir);
        var config = Path.Combine(directory, "proxysql.cnf");
        if (!File.Exists(config))
        {
            await File.WriteAllTextAsync(config, $$"""
                datadir="{{datadir}}"
                admin_variables = { admin_credentials="admin:admin;radmin:radmin;{{ClusterUser}}:{{ClusterPassword}}"
                    mysql_ifaces="127.0.0.1:{{adminPort}}" cluster_username="{{ClusterUser}}" cluster_password="{{ClusterPassword}}"
                    cluster_check_interval_ms={{ClusterTests.CheckIntervalMs}} {{adminExtra}} }
                mysql_variables = { interfaces="127.0.0.1:{{mySqlPort}}" monitor_enabled=false connect_timeout_server=3000 }
                {{seed}}
                """);
        }
        var loggerFactory = XunitLoggerProvider.CreateFactory(output);
        var opened = AdminStore.Open(datadir, ConfigFileSource.FromPath(config), initial: false, reload: false);
        var host = new ProxyHost(loggerFactory, datadir);
        host.Cluster.SyncInterfaces = ProxyLayer.Config.ConfigFileReader.Read(config).ClusterSyncInterfaces; // as Program does
        try
        {
            var admin = new IPEndPoint(IPAddress.Loopback, adminPort);
            var mysql = new IPEndPoint(IPAddress.Loopback, mySqlPort);
            if (hooks is null)
            {
                await host.StartWithAdminAsync(opened.Store, startMonitor: false, mysqlInterfaces: [mysql], adminInterfaces: [admin]);
            }
            else
            {
                var executor = new AdminStatementExecutor(opened.Store, host.Runtime, cluster: hooks(host));
                var loaded = executor.LoadAllToRuntime();
                Assert.True(loaded.Succeeded, string.Join("; ", loaded.Errors));
                host.Cluster.Attach(executor);
                host.StartAdmin(executor, [admin]);
                host.StartMySql([mysql]);
            }
        }
        catch
        {
            await host.DisposeAsync();
            opened.Store.Dispose();
            loggerFactory.Dispose();
            throw;
        }
        return new ClusterNodeUnderTest(host, opened.Store, loggerFactory, adminPort, mySqlPort);
    }

    /// <summary>Runs SQL through the stock client on the admin port; fails the test if it fails.</summary>
    public async Task<string> AdminAsync(string sql)
    {
        var result = await MariaDbCli.RunAsync([.. MariaDbCli.TcpArguments("127.0.0.1", AdminPort, "radmin", "radmin"), "--batch", "--skip-column-names"],
            standardInput: sql);
        Assert.True(result.Succeeded, $"admin on {AdminPort}: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>The port of the backend that answered <c>SELECT @@port</c> through this node, or null if the statement failed.</summary>
    public async Task<int?> RoutedPortAsync(string user = RigCredentials.AppUser, string password = RigCredentials.AppPassword)
    {
        try
        {
            await using var connection = new MySqlConnection(ConnectionString(user, password));
            await connection.OpenAsync();
            return Convert.ToInt32(await new MySqlCommand("SELECT @@port", connection).ExecuteScalarAsync());
        }
        catch (MySqlException)
        {
            return null;
        }
    }

    /// <summary>The server version this node's greeting announces (mysql-server_version).</summary>
    public async Task<string> GreetingVersionAsync()
    {
        await using var connection = new MySqlConnection(ConnectionString(RigCredentials.AppUser, RigCredentials.AppPassword));
        await connection.OpenAsync();
        return connection.ServerVersion;
    }

    private string ConnectionString(string user, string password) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1", Port = (uint)MySqlPort, UserID = user, Password = password, Pooling = false, SslMode = MySqlSslMode.None,
        ConnectionTimeout = 5,
    }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _store.Dispose();
        _loggerFactory.Dispose();
    }
}
