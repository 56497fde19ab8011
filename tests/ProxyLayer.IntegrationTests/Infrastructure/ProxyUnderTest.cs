using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// An in-process <see cref="ProxyHost"/> on a loopback port chosen by the OS, logging to the test output. The only
/// place tests construct and start the proxy, so changes to how a host is built are a one-line edit here.
/// </summary>
internal sealed class ProxyUnderTest : IAsyncDisposable
{
    /// <summary>The hostgroup every test configuration puts its backend in.</summary>
    public const int Hostgroup = 10;

    private readonly ILoggerFactory _loggerFactory;
    private int _disposed;

    private ProxyUnderTest(ProxyHost host, ILoggerFactory loggerFactory)
    {
        Host = host;
        _loggerFactory = loggerFactory;
    }

    public ProxyHost Host { get; }

    public IPEndPoint Endpoint => Host.MySqlEndpoints[0];

    public int Port => Endpoint.Port;

    /// <summary>The one backend server object of a single-server configuration (with its connection counters).</summary>
    public BackendServer Backend => Host.Servers.All.Single();

    /// <summary>
    /// A configuration with <paramref name="backendPort"/> on 127.0.0.1 as the only server of <see cref="Hostgroup"/>,
    /// the rig's app user plus <paramref name="extraUsers"/>, and <paramref name="variables"/> over the defaults.
    /// </summary>
    public static ProxyConfig ConfigFor(
        int backendPort,
        IEnumerable<KeyValuePair<string, string>>? variables = null,
        IEnumerable<UserConfig>? extraUsers = null)
    {
        var users = ImmutableArray.Create(User(RigCredentials.AppUser, RigCredentials.AppPassword));
        if (extraUsers is not null)
            users = users.AddRange(extraUsers);
        return new ProxyConfig
        {
            Variables = ProxyConfig.Empty.Variables.SetItems(variables ?? []),
            Servers = [new ServerConfig { HostgroupId = Hostgroup, Hostname = "127.0.0.1", Port = backendPort }],
            Users = users,
        };
    }

    public static UserConfig User(string name, string password) =>
        new() { Username = name, Password = password, DefaultHostgroup = Hostgroup };

    /// <param name="clientTls">The certificate clients may upgrade to TLS with (while mysql-have_ssl is true); null: none.</param>
    public static ProxyUnderTest Start(ProxyConfig config, ITestOutputHelper output, Networking.FrontendTls? clientTls = null)
    {
        var loggerFactory = XunitLoggerProvider.CreateFactory(output);
        var host = new ProxyHost(loggerFactory) { ClientTls = clientTls };
        try
        {
            host.Start(config, [new IPEndPoint(IPAddress.Loopback, 0)]);
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }

        return new ProxyUnderTest(host, loggerFactory);
    }

    /// <summary>A proxy in front of <paramref name="server"/> alone.</summary>
    public static ProxyUnderTest StartFor(
        MariaDbServer server,
        ITestOutputHelper output,
        IEnumerable<KeyValuePair<string, string>>? variables = null,
        IEnumerable<UserConfig>? extraUsers = null) =>
        Start(ConfigFor(server.Port, variables, extraUsers), output);

    /// <summary>MySqlConnector settings for this proxy; unpooled unless <paramref name="configure"/> says otherwise.</summary>
    public string ConnectionString(
        string user = RigCredentials.AppUser,
        string password = RigCredentials.AppPassword,
        string? database = null,
        Action<MySqlConnectionStringBuilder>? configure = null)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Endpoint.Address.ToString(),
            Port = (uint)Port,
            UserID = user,
            Password = password,
            SslMode = MySqlSslMode.None,
            Pooling = false,
            ConnectionTimeout = 10,
            DefaultCommandTimeout = 60,
            AllowUserVariables = true,
        };
        if (database is not null)
            builder.Database = database;
        configure?.Invoke(builder);
        return builder.ConnectionString;
    }

    public async Task<MySqlConnection> OpenAsync(
        string? database = null,
        Action<MySqlConnectionStringBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString(database: database, configure: configure));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Arguments for the <c>mariadb</c> CLI connecting to this proxy over TCP.</summary>
    public IReadOnlyList<string> CliArguments(
        string user = RigCredentials.AppUser,
        string password = RigCredentials.AppPassword,
        string? database = null) =>
        MariaDbCli.TcpArguments(Endpoint.Address.ToString(), Port, user, password, database);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await Host.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
