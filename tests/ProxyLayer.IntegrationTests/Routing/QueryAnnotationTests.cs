using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// Annotations in a statement's leading comment, against two servers told apart by <c>@@port</c>: the data-path
/// server in hostgroup 10 (the user's default) and a second server in hostgroup 20.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class QueryAnnotationTests(MariaDbFixture backend, SecondServerFixture second, ITestOutputHelper output) : IClassFixture<SecondServerFixture>
{
    private ProxyUnderTest Start(params QueryRuleConfig[] rules)
    {
        var config = ProxyUnderTest.ConfigFor(backend.Server.Port);
        return ProxyUnderTest.Start(config with
        {
            Servers = config.Servers.Add(new ServerConfig { HostgroupId = 20, Hostname = "127.0.0.1", Port = second.Server.Port }),
            QueryRules = [.. rules],
        }, output);
    }

    private static async Task<long> ScalarAsync(MySqlConnection connection, string sql) =>
        Convert.ToInt64(await new MySqlCommand(sql, connection).ExecuteScalarAsync(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_hostgroup_annotation_routes_the_statement_and_overrides_the_rules()
    {
        await using var proxy = Start(new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT @@port AS ruled", DestinationHostgroup = 20, Apply = true });
        await using var connection = await proxy.OpenAsync();

        Assert.Equal(backend.Server.Port, await ScalarAsync(connection, "SELECT @@port"));
        Assert.Equal(second.Server.Port, await ScalarAsync(connection, "/* hostgroup=20 */ SELECT @@port"));
        Assert.Equal(second.Server.Port, await ScalarAsync(connection, "  /*hostgroup=20;query_timeout=5000*/SELECT @@port"));
        Assert.Equal(backend.Server.Port, await ScalarAsync(connection, "SELECT /* hostgroup=20 */ @@port")); // not leading: ignored
        Assert.Equal(second.Server.Port, await ScalarAsync(connection, "SELECT @@port AS ruled"));
        Assert.Equal(backend.Server.Port, await ScalarAsync(connection, "/* hostgroup=10 */ SELECT @@port AS ruled"));
    }

    [Fact]
    public async Task A_query_timeout_annotation_ends_a_slow_statement()
    {
        await using var proxy = Start();
        await using var connection = await proxy.OpenAsync();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(connection, "/* query_timeout=300 */ SELECT SLEEP(5)"));

        Assert.Equal(1317, error.Number);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(1, await ScalarAsync(connection, "SELECT 1"));
    }

    [Fact]
    public async Task Create_new_connection_runs_the_statement_on_a_newly_opened_connection()
    {
        await using var proxy = Start();
        await using var connection = await proxy.OpenAsync();
        var first = await ScalarAsync(connection, "SELECT @@pseudo_thread_id");
        Assert.Equal(first, await ScalarAsync(connection, "SELECT @@pseudo_thread_id")); // the pooled connection comes back

        var fresh = await ScalarAsync(connection, "/* create_new_connection=1 */ SELECT @@pseudo_thread_id");

        Assert.NotEqual(first, fresh);
        Assert.True(fresh > first);
    }

    [Fact]
    public async Task A_cache_ttl_annotation_caches_the_result()
    {
        await backend.Server.ExecuteAsync("CREATE TABLE IF NOT EXISTS testdb.annotation_cache (id INT PRIMARY KEY, v INT); REPLACE INTO testdb.annotation_cache VALUES (1, 1)");
        await using var proxy = Start();
        await using var connection = await proxy.OpenAsync();
        const string query = "/* cache_ttl=5000 */ SELECT v FROM testdb.annotation_cache WHERE id = 1";
        Assert.Equal(1, await ScalarAsync(connection, query));

        await backend.Server.ExecuteAsync("UPDATE testdb.annotation_cache SET v = 2 WHERE id = 1");

        Assert.Equal(1, await ScalarAsync(connection, query));
        Assert.Equal(2, await ScalarAsync(connection, "SELECT v FROM testdb.annotation_cache WHERE id = 1"));
        Assert.Equal(1, proxy.Host.QueryCache.Hits);
    }
}
