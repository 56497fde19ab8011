using System.Net;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// A proxy with both interfaces open (MySQL and admin, ports chosen by the OS), started from a config file in its own
/// data directory, in front of one server with the rig's app user; deleted with it.
/// </summary>
internal sealed class AdminProxy : IAsyncDisposable
{
    private readonly AdminProxyUnderTest _proxy;
    private readonly string _directory;

    private AdminProxy(AdminProxyUnderTest proxy, string directory)
    {
        _proxy = proxy;
        _directory = directory;
    }

    public ProxyHost Host => _proxy.Host;
    public IPEndPoint MySqlEndpoint => new(IPAddress.Loopback, _proxy.MySqlPort);
    public IPEndPoint AdminEndpoint => new(IPAddress.Loopback, _proxy.AdminPort);

    public static async Task<AdminProxy> StartAsync(MariaDbServer server, ITestOutputHelper output,
        IEnumerable<KeyValuePair<string, string>>? mysqlVariables = null)
    {
        var directory = Directory.CreateTempSubdirectory("proxylayer-hardening-").FullName;
        var datadir = Path.Combine(directory, "data");
        Directory.CreateDirectory(datadir);
        var variables = string.Join(" ", (mysqlVariables ?? []).Select(v => $"{v.Key["mysql-".Length..]}=\"{v.Value}\""));
        var config = Path.Combine(directory, "proxysql.cnf");
        await File.WriteAllTextAsync(config, $$"""
            datadir="{{datadir}}"
            admin_variables = { admin_credentials="admin:admin;radmin:radmin" mysql_ifaces="127.0.0.1:6032" }
            mysql_variables = { interfaces="127.0.0.1:6033" {{variables}} }
            mysql_servers = ( { address="127.0.0.1", port={{server.Port}}, hostgroup={{ProxyUnderTest.Hostgroup}} } )
            mysql_users = ( { username="{{RigCredentials.AppUser}}", password="{{RigCredentials.AppPassword}}", default_hostgroup={{ProxyUnderTest.Hostgroup}} } )
            """);
        try
        {
            return new AdminProxy(await AdminProxyUnderTest.StartAsync(datadir, config, output, initial: true, monitor: false), directory);
        }
        catch
        {
            RigDirectory.TryDelete(directory);
            throw;
        }
    }

    public Task<ProcessResult> AdminAsync(string sql) => _proxy.AdminAsync(sql);

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        RigDirectory.TryDelete(_directory);
    }
}
