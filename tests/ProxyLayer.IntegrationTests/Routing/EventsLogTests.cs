using System.Text.Json;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>The events log (rules' log action, mysql-eventslog_*) written by a proxy in front of a real server, read back from disk.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class EventsLogTests(MariaDbFixture backend, ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxylayer-eventslog-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ProxyUnderTest Start(string defaultLog, params QueryRuleConfig[] rules) =>
        ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(backend.Server.Port,
        [
            KeyValuePair.Create("mysql-eventslog_filename", Path.Combine(_directory, "queries")),
            KeyValuePair.Create("mysql-eventslog_format", "2"),
            KeyValuePair.Create("mysql-eventslog_default_log", defaultLog),
        ]) with { QueryRules = [.. rules] }, output);

    /// <summary>
    /// The events on disk once <paramref name="complete"/> holds for them (or after 5 s, for the assertions to judge):
    /// a session records its statement just after the client has the answer, so the last one can lag a moment.
    /// </summary>
    private async Task<List<JsonElement>> EventsAsync(ProxyUnderTest proxy, Func<List<JsonElement>, bool> complete)
    {
        var file = Path.Combine(_directory, "queries.00000001");
        List<JsonElement> events = [];
        await Scratch.EventuallyAsync(async () =>
        {
            await proxy.Host.EventsLog.FlushAsync();
            events = [.. File.ReadAllLines(file).Select(line => JsonDocument.Parse(line).RootElement)];
            return complete(events);
        }, TimeSpan.FromSeconds(5));
        return events;
    }

    [Fact]
    public async Task A_rule_with_log_1_writes_its_statements_as_json_lines()
    {
        await using var proxy = Start("0",
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT 'logged'", Log = 1 },
            new QueryRuleConfig { RuleId = 2, Active = true, MatchPattern = "cached", CacheTtl = 10_000, Log = 1 });
        await using var connection = await proxy.OpenAsync(database: "testdb");

        await new MySqlCommand("SELECT 'logged'", connection).ExecuteScalarAsync();
        await new MySqlCommand("SELECT 'not logged'", connection).ExecuteScalarAsync();
        await new MySqlCommand("SELECT 'cached'", connection).ExecuteScalarAsync();
        await new MySqlCommand("SELECT 'cached'", connection).ExecuteScalarAsync();

        var events = await EventsAsync(proxy, e => e.Count >= 3);
        Assert.Equal(["SELECT 'logged'", "SELECT 'cached'", "SELECT 'cached'"], events.Select(e => e.GetProperty("query").GetString()));
        var first = events[0];
        Assert.Equal("COM_QUERY", first.GetProperty("event").GetString());
        Assert.Equal(RigCredentials.AppUser, first.GetProperty("username").GetString());
        Assert.Equal("testdb", first.GetProperty("schemaname").GetString());
        Assert.Equal(ProxyUnderTest.Hostgroup, first.GetProperty("hostgroup_id").GetInt32());
        Assert.Equal($"127.0.0.1:{backend.Server.Port}", first.GetProperty("server").GetString());
        Assert.Matches(@"^127\.0\.0\.1:[1-9][0-9]*$", first.GetProperty("client").GetString());
        Assert.Equal(1, first.GetProperty("rows_sent").GetInt32());
        Assert.Matches("^0x[0-9A-F]{16}$", first.GetProperty("digest").GetString());
        Assert.True(first.GetProperty("endtime_timestamp_us").GetInt64() >= first.GetProperty("starttime_timestamp_us").GetInt64());
        // The second 'cached' was answered by the query cache: hostgroup -1 and no server, as ProxySQL logs it.
        Assert.Equal(-1, events[2].GetProperty("hostgroup_id").GetInt32());
        Assert.False(events[2].TryGetProperty("server", out _));
    }

    [Fact]
    public async Task With_default_log_every_statement_is_logged_unless_its_rule_says_log_0()
    {
        await using var proxy = Start("1", new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "secret", Log = 0 });
        await using var connection = await proxy.OpenAsync();

        await new MySqlCommand("SELECT 1", connection).ExecuteScalarAsync();
        await new MySqlCommand("SELECT 'secret'", connection).ExecuteScalarAsync();
        await new MySqlCommand("INSERT INTO testdb.insert_test VALUES ('events', NOW(6))", connection).ExecuteNonQueryAsync();

        // The driver's own SET NAMES at connect is a statement too, and logged like any other.
        var events = (await EventsAsync(proxy, e => e.Any(x => x.GetProperty("query").GetString()!.StartsWith("INSERT", StringComparison.Ordinal)))).Where(e => !e.GetProperty("query").GetString()!.StartsWith("SET ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["SELECT 1", "INSERT INTO testdb.insert_test VALUES ('events', NOW(6))"], events.Select(e => e.GetProperty("query").GetString()));
        Assert.Equal(1, events[1].GetProperty("rows_affected").GetInt32());
    }
}
