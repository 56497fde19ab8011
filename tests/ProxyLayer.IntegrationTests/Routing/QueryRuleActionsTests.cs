using System.Diagnostics;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// Rule actions the session carries out against a real server: timeout, delay, next_query_flagIN, cache_ttl (with the
/// soft ttl and warnings settings) and retries.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class QueryRuleActionsTests(MariaDbFixture backend, ITestOutputHelper output)
{
    private ProxyUnderTest Start(params QueryRuleConfig[] rules) => Start([], rules);

    private ProxyUnderTest Start(KeyValuePair<string, string>[] variables, params QueryRuleConfig[] rules) =>
        ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(backend.Server.Port, variables) with { QueryRules = [.. rules] }, output);

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql) =>
        await new MySqlCommand(sql, connection).ExecuteScalarAsync();

    [Fact]
    public async Task A_rule_timeout_kills_the_statement_and_the_session_goes_on()
    {
        await using var proxy = Start(new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT SLEEP", Timeout = 500 });
        await using var connection = await proxy.OpenAsync();
        var clock = Stopwatch.StartNew();
        var interrupted = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(connection, "SELECT SLEEP(5)"));
        output.WriteLine($"SLEEP(5) ended after {clock.ElapsedMilliseconds} ms: {interrupted.Number} {interrupted.Message}");
        Assert.Equal(1317, interrupted.Number); // ER_QUERY_INTERRUPTED, from the server after KILL QUERY
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(42L, Convert.ToInt64(await ScalarAsync(connection, "SELECT 42"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_statement_after_one_that_ended_in_time_is_killed_at_its_own_deadline()
    {
        // The session's timer is lazy: still set for the first statement's deadline when the second starts, it must
        // move on to the second's deadline instead of killing it early or forgetting it.
        await using var proxy = Start(new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT SLEEP", Timeout = 1000 });
        await using var connection = await proxy.OpenAsync();
        Assert.Equal(0L, Convert.ToInt64(await ScalarAsync(connection, "SELECT SLEEP(0.6)"), System.Globalization.CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        var interrupted = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(connection, "SELECT SLEEP(5)"));
        output.WriteLine($"SLEEP(5) ended after {clock.ElapsedMilliseconds} ms: {interrupted.Number} {interrupted.Message}");
        Assert.Equal(1317, interrupted.Number);
        // Not before its own 1000 ms (the first statement's deadline came ~400 ms into it), and well before 5 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"killed after {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Next_query_flag_in_applies_to_the_next_statement_only()
    {
        await using var proxy = Start(
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT 'arm'", NextQueryFlagIn = 7 },
            new QueryRuleConfig { RuleId = 2, Active = true, FlagIn = 7, MatchPattern = ".", ErrorMsg = "blocked by the flagIN 7 chain" });
        await using var connection = await proxy.OpenAsync();
        Assert.Equal("arm", await ScalarAsync(connection, "SELECT 'arm'"));
        var blocked = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(connection, "SELECT 'next'"));
        Assert.Equal(1148, blocked.Number);
        Assert.Contains("flagIN 7", blocked.Message, StringComparison.Ordinal);
        Assert.Equal("after", await ScalarAsync(connection, "SELECT 'after'"));
    }

    [Fact]
    public async Task A_rule_delay_holds_its_statements()
    {
        await using var proxy = Start(new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT 'slow'", Delay = 400 });
        await using var connection = await proxy.OpenAsync();
        var clock = Stopwatch.StartNew();
        Assert.Equal("slow", await ScalarAsync(connection, "SELECT 'slow'"));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(390), $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_rule_cache_ttl_answers_from_the_cache_until_it_expires()
    {
        await backend.Server.ExecuteAsync("CREATE TABLE IF NOT EXISTS testdb.cache_probe (id INT PRIMARY KEY, v VARCHAR(16)); REPLACE INTO testdb.cache_probe VALUES (1, 'first')");
        await using var proxy = Start(new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "cache_probe", CacheTtl = 1500 });
        await using var connection = await proxy.OpenAsync();
        const string query = "SELECT v FROM testdb.cache_probe WHERE id = 1";
        Assert.Equal("first", await ScalarAsync(connection, query));

        await backend.Server.ExecuteAsync("UPDATE testdb.cache_probe SET v = 'second' WHERE id = 1");
        Assert.Equal("first", await ScalarAsync(connection, query)); // served from the cache
        Assert.Equal("second", await ScalarAsync(connection, query + " AND 1=1")); // other text, other entry
        Assert.Equal(1, proxy.Host.QueryCache.Hits);

        await Task.Delay(1600);
        Assert.Equal("second", await ScalarAsync(connection, query)); // expired
    }

    [Fact]
    public async Task After_the_soft_ttl_the_next_client_refreshes_the_entry_from_the_backend()
    {
        await backend.Server.ExecuteAsync("CREATE TABLE IF NOT EXISTS testdb.soft_ttl_probe (id INT PRIMARY KEY, v VARCHAR(16)); REPLACE INTO testdb.soft_ttl_probe VALUES (1, 'first')");
        await using var proxy = Start([KeyValuePair.Create("mysql-query_cache_soft_ttl_pct", "50")],
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "soft_ttl_probe", CacheTtl = 4000 });
        await using var connection = await proxy.OpenAsync();
        const string query = "SELECT v FROM testdb.soft_ttl_probe WHERE id = 1";
        Assert.Equal("first", await ScalarAsync(connection, query));
        await backend.Server.ExecuteAsync("UPDATE testdb.soft_ttl_probe SET v = 'second' WHERE id = 1");
        Assert.Equal("first", await ScalarAsync(connection, query)); // within the soft ttl: cached

        await Task.Delay(2100); // past 50% of the 4 s ttl, before it expires

        Assert.Equal("second", await ScalarAsync(connection, query)); // this client refreshed the entry
        await backend.Server.ExecuteAsync("UPDATE testdb.soft_ttl_probe SET v = 'third' WHERE id = 1");
        Assert.Equal("second", await ScalarAsync(connection, query)); // the refreshed entry is served again
        Assert.Equal(2, proxy.Host.QueryCache.Hits);
        Assert.Equal(2, proxy.Host.QueryCache.Sets);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    public async Task Results_with_warnings_are_cached_only_with_handle_warnings(string handleWarnings, int hits)
    {
        await using var proxy = Start([KeyValuePair.Create("mysql-query_cache_handle_warnings", handleWarnings)],
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT 1/0", CacheTtl = 10_000 });

        // The stock client fetches warnings when an answer reports some: the cached copy must say there are none.
        var cli = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--batch", "--show-warnings", "-e", "SELECT 1/0 AS d; SELECT 1/0 AS d;"]);

        Assert.True(cli.Succeeded, cli.StandardError);
        output.WriteLine(cli.StandardOutput + cli.StandardError);
        Assert.Equal(hits, proxy.Host.QueryCache.Hits);
        var reported = (cli.StandardOutput + cli.StandardError).Split("Division by 0").Length - 1;
        Assert.Equal(hits == 1 ? 1 : 2, reported);
    }

    /// <summary>Kills, on the server, the connection running <paramref name="marker"/>'s statement once it shows up.</summary>
    private async Task KillConnectionRunningAsync(string marker)
    {
        for (var waited = 0; ; waited += 20)
        {
            Assert.True(waited < 10_000, "the statement never showed up on the server");
            var id = await backend.Server.QueryScalarAsync(
                $"SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(1), ''{marker}''%'");
            if (id is not null)
            {
                await backend.Server.ExecuteAsync($"KILL CONNECTION {id}");
                return;
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_rule_retries_runs_a_read_again_when_its_backend_connection_is_killed()
    {
        await using var proxy = Start([KeyValuePair.Create("mysql-query_retries_on_failure", "0")],
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "'retried'", Retries = 1 });
        await using var connection = await proxy.OpenAsync();

        var read = ScalarAsync(connection, "SELECT SLEEP(1), 'retried'");
        await KillConnectionRunningAsync("retried");

        Assert.Equal(0L, Convert.ToInt64(await read, System.Globalization.CultureInfo.InvariantCulture)); // SLEEP's 0: it ran to its end, again
    }

    [Fact]
    public async Task Without_retries_the_client_hears_that_its_backend_connection_was_lost()
    {
        await using var proxy = Start([KeyValuePair.Create("mysql-query_retries_on_failure", "0")],
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "'not retried'", Retries = 0 });
        await using var connection = await proxy.OpenAsync();

        var read = ScalarAsync(connection, "SELECT SLEEP(1), 'not retried'");
        await KillConnectionRunningAsync("not retried");

        var error = await Assert.ThrowsAsync<MySqlException>(() => read);
        output.WriteLine($"{error.Number}: {error.Message}");
        Assert.Equal(9010, error.Number); // ProxyLayer's "lost connection to backend … outcome unknown"
    }
}
