using System.Globalization;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// mysql_query_rules_fast_routing set up by a DBA through the admin interface and followed by the data path: db001 is
/// hostgroup 10 (the default), db002 hostgroup 20.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class FastRoutingTests : IClassFixture<ReaderServerFixture>, IDisposable
{
    private readonly MariaDbServer _writer;
    private readonly MariaDbServer _reader;
    private readonly ITestOutputHelper _output;
    private readonly string _datadir = Directory.CreateTempSubdirectory("proxylayer-fastrouting-").FullName;

    public FastRoutingTests(MariaDbFixture writer, ReaderServerFixture reader, ITestOutputHelper output)
    {
        _writer = writer.Server;
        _reader = reader.Server;
        _output = output;
    }

    public void Dispose() => Directory.Delete(_datadir, recursive: true);

    [Fact]
    public async Task Rows_loaded_with_the_rules_route_by_user_schema_and_the_flagIn_the_rules_end_at()
    {
        await using var proxy = await AdminProxyUnderTest.StartAsync(_datadir, configPath: null, _output, monitor: false);
        var setup = await proxy.AdminAsync($"""
            INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10, '127.0.0.1', {_writer.Port}), (20, '127.0.0.1', {_reader.Port});
            LOAD MYSQL SERVERS TO RUNTIME;
            INSERT INTO mysql_users(username, password, default_hostgroup) VALUES ('appuser', 'apppass', 10);
            LOAD MYSQL USERS TO RUNTIME;
            INSERT INTO mysql_query_rules(rule_id, active, match_pattern, flagOUT) VALUES (1, 1, '^SELECT', 5);
            INSERT INTO mysql_query_rules_fast_routing VALUES ('appuser', 'testdb', 5, 20, 'reads in testdb');
            LOAD MYSQL QUERY RULES TO RUNTIME;
            """);
        Assert.True(setup.Succeeded, setup.StandardError);

        var runtime = await proxy.AdminAsync("SELECT * FROM runtime_mysql_query_rules_fast_routing;");
        Assert.Equal("appuser\ttestdb\t5\t20\treads in testdb\n", runtime.StandardOutput);

        Assert.Equal(_reader.ServerId, await ServerIdAsync(proxy, "SELECT @@server_id", "testdb")); // rule 1 → flagIN 5 → row
        Assert.Equal(_writer.ServerId, await ServerIdAsync(proxy, "SELECT @@server_id", database: null)); // no row for this schema
        Assert.Equal(_writer.ServerId, await ServerIdAsync(proxy, "(SELECT @@server_id)", "testdb")); // no rule matches: flagIN 0, no row

        // An apply=1 rule decides alone: the fast routing row is not consulted.
        var apply = await proxy.AdminAsync("UPDATE mysql_query_rules SET apply = 1, destination_hostgroup = 10; LOAD MYSQL QUERY RULES TO RUNTIME;");
        Assert.True(apply.Succeeded, apply.StandardError);
        Assert.Equal(_writer.ServerId, await ServerIdAsync(proxy, "SELECT @@server_id", "testdb"));
    }

    private static async Task<long> ServerIdAsync(AdminProxyUnderTest proxy, string sql, string? database)
    {
        var result = await MariaDbCli.RunAsync(
        [
            .. MariaDbCli.TcpArguments("127.0.0.1", proxy.MySqlPort, RigCredentials.AppUser, RigCredentials.AppPassword, database),
            "--batch", "--skip-column-names", "-e", sql,
        ]);
        Assert.True(result.Succeeded, result.StandardError);
        return long.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }
}
