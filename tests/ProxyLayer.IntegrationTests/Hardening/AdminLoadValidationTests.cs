using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// Rows that can never work are refused by LOAD … TO RUNTIME on a running proxy, naming the row, and the runtime
/// tables read the same before and after; the data path keeps serving.
/// </summary>
public sealed class AdminLoadValidationTests : IClassFixture<MariaDbFixture>, IDisposable
{
    private const string RuntimeUsers = "SELECT hex(username), password, frontend, backend FROM runtime_mysql_users ORDER BY 1, 3;";
    private const string RuntimeRules = "SELECT rule_id, match_pattern, destination_hostgroup FROM runtime_mysql_query_rules ORDER BY rule_id;";

    private readonly MariaDbServer _backend;
    private readonly ITestOutputHelper _output;
    private readonly AdminHardeningRig _rig = new();

    public AdminLoadValidationTests(MariaDbFixture fixture, ITestOutputHelper output)
    {
        _backend = fixture.Server;
        _output = output;
    }

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData("char(0)", "username='\\u0000'")]
    [InlineData("''", "username is empty")]
    [InlineData("'ad' || char(10) || 'min'", "control character U+000A")]
    [InlineData("'app' || char(0) || 'x'", "control character U+0000")]
    [InlineData("'tab' || char(9)", "control character U+0009")]
    public async Task A_user_that_can_never_log_in_fails_the_load_and_runtime_stays(string usernameSql, string named)
    {
        await using var proxy = await _rig.StartAsync(_output);
        Assert.True((await proxy.AdminAsync(AdminHardeningRig.Seed(_backend.Port))).Succeeded);
        var before = await proxy.AdminAsync(RuntimeUsers);

        var load = await proxy.AdminAsync($"INSERT INTO mysql_users (username, password, default_hostgroup) VALUES ({usernameSql}, 'pw', 10); " +
            "LOAD MYSQL USERS TO RUNTIME;");

        Assert.False(load.Succeeded);
        Assert.Contains("LOAD MYSQL USERS TO RUNTIME failed, runtime unchanged", load.StandardError, StringComparison.Ordinal);
        Assert.Contains("mysql_users (username='", load.StandardError, StringComparison.Ordinal);
        Assert.Contains(named, load.StandardError, StringComparison.Ordinal);
        Assert.Equal(before.StandardOutput, (await proxy.AdminAsync(RuntimeUsers)).StandardOutput);
        Assert.Equal("42\n", (await proxy.MySqlAsync("SELECT 42")).StandardOutput);
    }

    [Fact]
    public async Task A_null_password_loads_and_says_so_in_the_warnings()
    {
        await using var proxy = await _rig.StartAsync(_output);
        var load = await proxy.AdminAsync("INSERT INTO mysql_users (username, password) VALUES ('nopass', NULL); LOAD MYSQL USERS TO RUNTIME; SHOW WARNINGS;");

        Assert.True(load.Succeeded, load.StandardError);
        Assert.Contains("mysql_users (username='nopass', backend=1, frontend=1): password is NULL", load.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("nopass", (await proxy.AdminAsync("SELECT username FROM runtime_mysql_users;")).StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("match_pattern")]
    [InlineData("match_digest")]
    public async Task A_one_megabyte_pattern_fails_the_load_and_the_running_rules_stay(string column)
    {
        await using var proxy = await _rig.StartAsync(_output);
        Assert.True((await proxy.AdminAsync(AdminHardeningRig.Seed(_backend.Port))).Succeeded);
        var before = await proxy.AdminAsync(RuntimeRules);

        var load = await proxy.AdminAsync($"INSERT INTO mysql_query_rules (rule_id, active, {column}, destination_hostgroup) " +
            "VALUES (3, 1, '^SELECT ' || replace(hex(zeroblob(524288)), '0', 'a'), 10); LOAD MYSQL QUERY RULES TO RUNTIME;");

        Assert.False(load.Succeeded);
        Assert.Contains($"mysql_query_rules rule_id 3: {column} is 1048584 characters long; at most 32768 are allowed",
            load.StandardError, StringComparison.Ordinal);
        Assert.Equal(before.StandardOutput, (await proxy.AdminAsync(RuntimeRules)).StandardOutput);
        Assert.Equal("42\n", (await proxy.MySqlAsync("SELECT 42")).StandardOutput);
    }

    [Fact]
    public async Task A_catastrophic_rule_does_not_stall_the_clients()
    {
        await using var proxy = await _rig.StartAsync(_output);
        Assert.True((await proxy.AdminAsync(AdminHardeningRig.Seed(_backend.Port))).Succeeded);
        var load = await proxy.AdminAsync("INSERT INTO mysql_query_rules (rule_id, active, match_pattern, destination_hostgroup) " +
            "VALUES (0, 1, '^(\\w+\\s?)+$', 10); LOAD MYSQL QUERY RULES TO RUNTIME;");
        Assert.True(load.Succeeded, load.StandardError);

        // Every word splits many ways under (\w+\s?)+ and the '=' at the end fails the match: 2^60 paths to backtrack.
        var query = "SELECT 1 FROM DUAL WHERE 1" + string.Concat(Enumerable.Repeat(" OR 1", 60)) + "=1";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
            Assert.Equal("1\n", (await proxy.MySqlAsync(query)).StandardOutput);
        _output.WriteLine($"5 statements in {watch.Elapsed}");
        Assert.Contains("Query_rules_regex_timeouts\t0", (await proxy.AdminAsync("SELECT * FROM stats_mysql_global;")).StandardOutput, StringComparison.Ordinal);
    }
}
