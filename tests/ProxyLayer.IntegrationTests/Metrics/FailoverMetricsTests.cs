using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Failover;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>
/// What a Prometheus server scraping the proxy sees during the seed's failover drill on a real primary + 2 replicas:
/// the old primary's pool status changes, the writer hostgroup's ONLINE endpoint moves to the promoted replica, and
/// no counter goes backwards, neither across <c>LOAD … TO RUNTIME</c> nor across the failover.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class FailoverMetricsTests(ITestOutputHelper output)
{
    private const string WriterHostgroup = "10";

    [Fact]
    public async Task Scrapes_follow_the_writer_through_a_failover_and_counters_never_go_backwards()
    {
        await using var drill = await FailoverDrill.StartAsync(output);
        await AdminOkAsync(drill, "SET admin-restapi_enabled='true'; SET admin-restapi_port=0; LOAD ADMIN VARIABLES TO RUNTIME;");
        var port = drill.Proxy.Host.RestApiEndpoints.Single().Port;
        var oldPrimary = Endpoint(drill.Topology.GetServer("db001"));
        var promoted = Endpoint(drill.Topology.GetServer("db002"));
        await TrafficAsync(drill);

        var before = await MetricsCheck.ScrapeAsync(port);
        Assert.Equal([oldPrimary], OnlineWriters(before));
        var oldPrimaryStatusBefore = StatusOf(before, oldPrimary);

        await AdminOkAsync(drill, "LOAD MYSQL SERVERS TO RUNTIME; LOAD MYSQL USERS TO RUNTIME; LOAD MYSQL QUERY RULES TO RUNTIME; " +
            "LOAD MYSQL VARIABLES TO RUNTIME; LOAD ADMIN VARIABLES TO RUNTIME;");
        var afterLoads = await MetricsCheck.ScrapeAsync(port);
        AssertNoCounterWentBack(before, afterLoads, "LOAD … TO RUNTIME");

        var (killedAt, _) = await drill.FailOverToAsync(drill.Topology.GetServer("db002"));
        ParsedMetrics? seen = null;
        var followed = await Scratch.EventuallyAsync(async () =>
        {
            seen = await MetricsCheck.ScrapeAsync(port);
            return OnlineWriters(seen).SequenceEqual([promoted]) && StatusOf(seen, oldPrimary) != oldPrimaryStatusBefore;
        }, TimeSpan.FromSeconds(20));
        Assert.True(followed, $"after the failover the scrape showed writers [{string.Join(", ", OnlineWriters(seen!))}] and the old " +
            $"primary's status {StatusOf(seen!, oldPrimary)} (before: {oldPrimaryStatusBefore})");
        var sinceKill = (DateTime.UtcNow - killedAt).TotalSeconds;
        AssertDetectTimeWithin(seen!, sinceKill);

        await TrafficAsync(drill);
        var after = await MetricsCheck.ScrapeAsync(port);
        AssertNoCounterWentBack(afterLoads, after, "the failover");
        Assert.True(after.Value("proxylayer_writer_changes_total", ("hostgroup", WriterHostgroup)) >= 1, "the writer change is counted");
        Assert.True(after.Value("proxysql_mysql_monitor_read_only_check_total", ("status", "ok")) >
            before.Value("proxysql_mysql_monitor_read_only_check_total", ("status", "ok")));
    }

    /// <summary>
    /// One failover, timed from the monitor's first sign against the old primary: that sign came after the kill and the
    /// promoted writer was in the runtime before the scrape that saw it, so the time lies within kill..scrape (+0.1 s
    /// for millisecond rounding). A stale sign from before the kill, or a timer that never started, fails here.
    /// </summary>
    private void AssertDetectTimeWithin(ParsedMetrics metrics, double sinceKill)
    {
        var count = metrics.Value("proxylayer_failover_detect_seconds_count", ("hostgroup", WriterHostgroup));
        var last = metrics.Value("proxylayer_failover_last_detect_seconds", ("hostgroup", WriterHostgroup));
        var sum = metrics.Value("proxylayer_failover_detect_seconds_sum", ("hostgroup", WriterHostgroup));
        output.WriteLine($"failover detected in {last:0.000} s; {sinceKill:0.000} s from the kill to the scrape that saw the new writer");
        Assert.Equal(1, count);
        Assert.Equal(last, sum);
        Assert.InRange(last!.Value, 0, sinceKill + 0.1);
        Assert.Equal(1, metrics.Value("proxylayer_failover_detect_seconds_bucket", ("hostgroup", WriterHostgroup), ("le", "+Inf")));
    }

    private static string Endpoint(MariaDbServer server) => $"127.0.0.1:{server.Port}";

    /// <summary>The endpoints the scrape shows ONLINE (status 1) in the writer hostgroup.</summary>
    private static List<string> OnlineWriters(ParsedMetrics metrics) =>
        [.. metrics.Families["proxysql_connpool_conns_status"].Samples
            .Where(s => s.Labels["hostgroup"] == WriterHostgroup && s.Value == 1)
            .Select(s => s.Labels["endpoint"]).Order(StringComparer.Ordinal)];

    /// <summary>The endpoint's status per hostgroup, e.g. <c>10=1,20=1</c>.</summary>
    private static string StatusOf(ParsedMetrics metrics, string endpoint) =>
        string.Join(",", metrics.Families["proxysql_connpool_conns_status"].Samples
            .Where(s => s.Labels["endpoint"] == endpoint)
            .OrderBy(s => s.Labels["hostgroup"], StringComparer.Ordinal)
            .Select(s => $"{s.Labels["hostgroup"]}={s.Value}"));

    private void AssertNoCounterWentBack(ParsedMetrics earlier, ParsedMetrics later, string across)
    {
        var laterCounters = later.CounterSamples();
        var backwards = earlier.CounterSamples()
            .Where(c => laterCounters.TryGetValue(c.Key, out var now) && now < c.Value)
            .Select(c => $"{c.Key}: {c.Value} -> {laterCounters[c.Key]}").ToList();
        output.WriteLine($"{laterCounters.Count} counter samples compared across {across}");
        Assert.True(backwards.Count == 0, $"counters went backwards across {across}: {string.Join("; ", backwards)}");
    }

    private static async Task TrafficAsync(FailoverDrill drill)
    {
        await using var connection = new MySqlConnection(drill.ConnectionString());
        await connection.OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await new MySqlCommand("SELECT @@hostname", connection).ExecuteScalarAsync();
            await new MySqlCommand("INSERT INTO testdb.insert_test VALUES (@@hostname, now(6))", connection).ExecuteNonQueryAsync();
        }
    }

    private static async Task AdminOkAsync(FailoverDrill drill, string sql)
    {
        var result = await drill.Proxy.AdminAsync(sql);
        Assert.True(result.Succeeded, result.StandardError);
    }
}
