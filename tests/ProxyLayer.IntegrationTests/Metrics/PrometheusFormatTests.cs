using System.Net;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>
/// <c>GET /metrics</c> on a proxy in front of a real server, read by the Prometheus project's own parsers (text format
/// and OpenMetrics) and compared with the families, types and labels ProxySQL 2.7.2 serves.
/// </summary>
public sealed class PrometheusFormatTests(MariaDbFixture database, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    private static readonly KeyValuePair<string, string>[] RestApiOnAnyPort =
        [new("admin-restapi_enabled", "true"), new("admin-restapi_port", "0")];

    [Fact]
    public async Task Metrics_parse_in_both_formats_with_ProxySQLs_names_types_and_labels()
    {
        await using var proxy = ProxyUnderTest.StartFor(database.Server, output, RestApiOnAnyPort);
        var port = proxy.Host.RestApiEndpoints.Single().Port;
        await using (var connection = await proxy.OpenAsync())
        {
            for (var i = 0; i < 5; i++)
                await new MySqlCommand("SELECT 1", connection).ExecuteScalarAsync();
        }
        await Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var refused = new MySqlConnection(proxy.ConnectionString(password: "wrong"));
            await refused.OpenAsync();
        });

        var text = await MetricsCheck.ScrapeAsync(port);
        var openMetrics = await MetricsCheck.ScrapeAsync(port, MetricsCheck.OpenMetricsFormat);

        output.WriteLine($"{text.Families.Count} families; ProxySQL 2.7.2 families not served: {text.Missing.Count}");
        foreach (var name in text.Missing)
            output.WriteLine($"  not served: {name} ({NotServedFamilies.Reasons.GetValueOrDefault(name, "NOT EXPLAINED")})");
        Assert.DoesNotContain(text.Missing, name => !NotServedFamilies.Reasons.ContainsKey(name));
        Assert.Empty(text.TypeMismatches);
        Assert.Empty(text.LabelMismatches);
        Assert.Empty(openMetrics.TypeMismatches);
        Assert.Empty(openMetrics.LabelMismatches);
        Assert.Equal(text.Missing, openMetrics.Missing);

        Assert.True(text.Value("proxysql_questions_total") >= 5, "proxysql_questions_total counts the five SELECTs");
        Assert.Equal(1, text.Value("proxysql_access_denied_wrong_password_total"));
        // ProxyLayer's own count of the same refusal, by interface and reason; every series is there from the start.
        Assert.Equal(1, text.Value("proxylayer_client_auth_failures_total", ("interface", "mysql"), ("reason", "access_denied")));
        Assert.Equal(0, text.Value("proxylayer_client_auth_failures_total", ("interface", "mysql"), ("reason", "malformed")));
        Assert.Equal(0, text.Value("proxylayer_client_auth_failures_total", ("interface", "admin"), ("reason", "access_denied")));
        Assert.True(text.Value("proxysql_generated_error_packets_total") >= 1, "the refusal was an error packet the proxy made");
        Assert.NotNull(text.Value("proxysql_sqlite3_memory_bytes")); // 0 here: this host has no admin store
        Assert.True(text.Value("proxysql_client_connections_total", ("status", "created")) >= 2, "both logins were client connections");
        var endpoint = $"127.0.0.1:{database.Server.Port}";
        Assert.Equal(1, text.Value("proxysql_connpool_conns_status", ("hostgroup", "10"), ("endpoint", endpoint)));
        Assert.True(text.Value("proxysql_connpool_conns_queries_total", ("hostgroup", "10"), ("endpoint", endpoint)) >= 5);
        Assert.True(text.Value("proxylayer_statement_duration_seconds_count", ("command", "SELECT")) >= 5);
        Assert.True(openMetrics.Value("exposer_scrapes_total") > text.Value("exposer_scrapes_total"), "the second scrape is counted");
    }

    [Fact]
    public async Task A_login_that_breaks_the_protocol_is_counted_as_malformed()
    {
        await using var proxy = ProxyUnderTest.StartFor(database.Server, output, RestApiOnAnyPort);
        var port = proxy.Host.RestApiEndpoints.Single().Port;
        await using (var raw = await RawMySqlClient.ConnectAsync(proxy.Endpoint))
        {
            await raw.ReadPacketAsync(); // the greeting
            await raw.WritePacketAsync(1, new byte[] { 0x01, 0x02, 0x03 }); // not a HandshakeResponse41
            await raw.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        }

        var text = await MetricsCheck.ScrapeAsync(port);

        Assert.Equal(1, text.Value("proxylayer_client_auth_failures_total", ("interface", "mysql"), ("reason", "malformed")));
        Assert.Equal(0, text.Value("proxylayer_client_auth_failures_total", ("interface", "mysql"), ("reason", "access_denied")));
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_clear_errors()
    {
        await using var proxy = ProxyUnderTest.StartFor(database.Server, output, RestApiOnAnyPort);
        var port = proxy.Host.RestApiEndpoints.Single().Port;

        var (status, _, body) = await MetricsCheck.GetAsync(port, "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no such route: /nothing-here", body, StringComparison.Ordinal);
        (status, _, body) = await MetricsCheck.GetAsync(port, method: HttpMethod.Post);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Contains("use GET", body, StringComparison.Ordinal);
        var (okStatus, contentType, _) = await MetricsCheck.GetAsync(port);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
    }
}
