using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// A temporary directory holding the proxy's data directory and, beside it, a directory the admin interface must
/// never write to; and the DBA's usual seed script for the backend.
/// </summary>
internal sealed class AdminHardeningRig : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("proxylayer-hardening-").FullName;

    public AdminHardeningRig()
    {
        Directory.CreateDirectory(Datadir);
        Directory.CreateDirectory(Outside);
    }

    public string Datadir => Path.Combine(_root, "data");

    /// <summary>Outside the data directory: stays empty whatever the admin asks for.</summary>
    public string Outside => Path.Combine(_root, "outside");

    public Task<AdminProxyUnderTest> StartAsync(ITestOutputHelper output)
    {
        var config = Path.Combine(_root, "proxysql.cnf");
        File.WriteAllText(config, $$"""
            datadir="{{Datadir}}"
            admin_variables = { admin_credentials="admin:admin;radmin:radmin" }
            mysql_variables = { monitor_username="monitor" monitor_password="monitor" connect_timeout_server=3000 }
            """);
        return AdminProxyUnderTest.StartAsync(Datadir, config, output, monitor: false);
    }

    public static string Seed(int backendPort) => $"""
        INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10, '127.0.0.1', {backendPort});
        INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, '127.0.0.1', {backendPort});
        LOAD MYSQL SERVERS TO RUNTIME; SAVE MYSQL SERVERS TO DISK;
        INSERT INTO mysql_users(username, password, default_hostgroup) VALUES ('{RigCredentials.AppUser}', '{RigCredentials.AppPassword}', 10);
        LOAD MYSQL USERS TO RUNTIME; SAVE MYSQL USERS TO DISK;
        INSERT INTO mysql_query_rules(rule_id, active, match_pattern, destination_hostgroup, apply) VALUES (1, 1, '^SELECT.*FOR UPDATE$', 10, 1);
        INSERT INTO mysql_query_rules(rule_id, active, match_pattern, destination_hostgroup, apply) VALUES (2, 1, '^SELECT', 20, 1);
        LOAD MYSQL QUERY RULES TO RUNTIME; SAVE MYSQL QUERY RULES TO DISK;
        """;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
