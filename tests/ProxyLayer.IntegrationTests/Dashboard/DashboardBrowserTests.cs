using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Failover;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Dashboard;

/// <summary>
/// The web dashboard as an operator uses it, on a real primary + 2 replicas: a real browser logs in with the stats
/// credentials, sees the three servers and their roles, and sees the writer move when the primary is killed and a
/// replica promoted, without a reload. Screenshots before and after go to <c>artifacts/dashboard/</c>.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string WriterHostgroup = "10";
    private const string ReaderHostgroup = "20";

    [Fact]
    public async Task A_browser_logs_in_sees_the_topology_and_follows_a_failover_live()
    {
        await using var drill = await FailoverDrill.StartAsync(output);
        var enabled = await drill.Proxy.AdminAsync("SET admin-web_enabled='true'; SET admin-web_port=0; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.True(enabled.Succeeded, enabled.StandardError);
        var url = $"https://127.0.0.1:{drill.Proxy.Host.DashboardEndpoints.Single().Port}/";
        var primary = Endpoint(drill.Topology.GetServer("db001"));
        var promoted = Endpoint(drill.Topology.GetServer("db002"));
        var third = Endpoint(drill.Topology.GetServer("db003"));
        using var traffic = new CancellationTokenSource();
        var trafficTask = TrafficAsync(drill, traffic.Token);

        await using var browser = await DashboardBrowser.LaunchAsync();
        var screenshots = DashboardBrowser.ScreenshotDirectory();

        var refused = await browser.OpenAsync("stats", "not-the-password");
        var refusal = await refused.GotoAsync(url);
        Assert.Equal(401, refusal?.Status);
        var asAdmin = await browser.OpenAsync("radmin", "radmin");
        Assert.Equal(401, (await asAdmin.GotoAsync(url))?.Status); // as in ProxySQL: the page takes stats credentials only

        var page = await browser.OpenAsync("stats", "stats");
        var response = await page.GotoAsync(url);
        Assert.Equal(200, response?.Status);
        var wait = new PageWaitForSelectorOptions { Timeout = 30_000 };
        await page.WaitForSelectorAsync($"#writer-{WriterHostgroup}[data-writer='{primary}']", wait);
        await page.WaitForSelectorAsync($"#hostgroup-{WriterHostgroup} tr[data-endpoint='{primary}'][data-role='writer'][data-status='ONLINE']", wait);
        foreach (var reader in new[] { primary, promoted, third })
            await page.WaitForSelectorAsync($"#hostgroup-{ReaderHostgroup} tr[data-endpoint='{reader}'][data-role='reader'][data-status='ONLINE']", wait);
        await page.WaitForSelectorAsync("#live.on", wait);
        // Two samples apart the rates have a value: wait for the traffic to show as queries per second.
        await page.WaitForFunctionAsync("() => document.getElementById('qps').textContent !== '–' && document.getElementById('qps').textContent !== '0.0'",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await Task.Delay(3000); // a few samples, so the charts have a line
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-before-failover.png"), FullPage = true });
        await page.EvaluateAsync("() => { window.notReloaded = 42; }");

        await drill.FailOverToAsync(drill.Topology.GetServer("db002"));
        var runtimeMoved = await WriterInRuntimeAsync(drill, promoted, TimeSpan.FromSeconds(30));
        Assert.True(runtimeMoved.HasValue, "the proxy's runtime did not make db002 the writer within 30 s of the promotion");
        var sincePromotion = Stopwatch.StartNew();
        // The page follows the runtime within one event (1 s) plus rendering; the bound is 10 s only because this
        // 2-core machine also runs three mariadbd, chromium and the proxy. The figure seen is printed.
        await page.WaitForSelectorAsync($"#writer-{WriterHostgroup}[data-writer='{promoted}']", new PageWaitForSelectorOptions { Timeout = 10_000 });
        output.WriteLine($"the page showed the new writer {sincePromotion.ElapsedMilliseconds} ms after the proxy's runtime had it");
        await page.WaitForSelectorAsync($"#hostgroup-{WriterHostgroup} tr[data-endpoint='{promoted}'][data-role='writer'][data-status='ONLINE']", wait);
        Assert.Equal(0, await page.Locator($"#hostgroup-{WriterHostgroup} tr[data-endpoint='{primary}'][data-status='ONLINE']").CountAsync());
        await page.WaitForSelectorAsync($"#timeline li[data-kind='writer'][data-hostgroup='{WriterHostgroup}']", wait);
        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.notReloaded"));
        var timeline = await page.Locator("#timeline").InnerTextAsync();
        Assert.Contains(promoted, timeline, StringComparison.Ordinal);
        // The change that made the promoted replica the writer completed a failover (the primary's pings had failed): timed.
        Assert.Matches(@"→\s*" + System.Text.RegularExpressions.Regex.Escape(promoted) + @"\s*detected in \d+\.\d s", timeline);
        // A few more samples so the charts show the dip and the recovery.
        await Task.Delay(3000);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-after-failover.png"), FullPage = true });
        output.WriteLine($"screenshots in {screenshots}");

        await traffic.CancelAsync();
        await trafficTask;
    }

    [Fact]
    public async Task The_json_endpoint_takes_digest_logins_from_another_client_and_refuses_the_rest()
    {
        await using var drill = await FailoverDrill.StartAsync(output);
        var enabled = await drill.Proxy.AdminAsync("SET admin-web_enabled='true'; SET admin-web_port=0; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.True(enabled.Succeeded, enabled.StandardError);
        var port = drill.Proxy.Host.DashboardEndpoints.Single().Port;
        var status = new Uri($"https://127.0.0.1:{port}/api/status");

        using (var anonymous = Client(null))
        {
            var answer = await anonymous.GetAsync(status);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            var challenge = Assert.Single(answer.Headers.WwwAuthenticate);
            Assert.Equal("Digest", challenge.Scheme);
            Assert.Contains("realm=\"Access to ProxySQL status page\"", challenge.Parameter, StringComparison.Ordinal);
        }
        using (var wrong = Client(new NetworkCredential("stats", "wrong")))
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(status)).StatusCode);

        // .NET's own Digest implementation (SocketsHttpHandler), not ours, computes the response here.
        using var client = Client(new NetworkCredential("stats", "stats"));
        var ok = await client.GetAsync(status);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var sample = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        var hostgroups = sample.RootElement.GetProperty("hostgroups").EnumerateArray().ToDictionary(h => h.GetProperty("id").GetInt32());
        Assert.Equal("writer", hostgroups[10].GetProperty("role").GetString());
        Assert.Equal(3, hostgroups[20].GetProperty("servers").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"https://127.0.0.1:{port}/nothing-here"))).StatusCode);

        // Other stats credentials take effect at the next LOAD ADMIN VARIABLES TO RUNTIME, with no restart.
        var changed = await drill.Proxy.AdminAsync("SET admin-stats_credentials='viewer:s3cret'; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.True(changed.Succeeded, changed.StandardError);
        using (var old = Client(new NetworkCredential("stats", "stats")))
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync(status)).StatusCode);
        using (var viewer = Client(new NetworkCredential("viewer", "s3cret")))
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(status)).StatusCode);

        // A port that cannot be bound refuses the whole load, naming it; the page keeps running where it was.
        using (var squatter = new System.Net.Sockets.TcpListener(IPAddress.Any, 0))
        {
            squatter.Start();
            var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
            var refused = await drill.Proxy.AdminAsync($"SET admin-web_port={taken}; LOAD ADMIN VARIABLES TO RUNTIME;");
            Assert.False(refused.Succeeded);
            Assert.Contains($"admin-web_port: cannot listen on port {taken}", refused.StandardError, StringComparison.Ordinal);
            Assert.Equal(port, drill.Proxy.Host.DashboardEndpoints.Single().Port);
            using var still = Client(new NetworkCredential("viewer", "s3cret"));
            Assert.Equal(HttpStatusCode.OK, (await still.GetAsync(status)).StatusCode);
        }

        // Switched off, the port closes.
        var off = await drill.Proxy.AdminAsync("SET admin-web_enabled='false'; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.True(off.Succeeded, off.StandardError);
        Assert.Empty(drill.Proxy.Host.DashboardEndpoints);
        using var closed = Client(new NetworkCredential("viewer", "s3cret"));
        await Assert.ThrowsAsync<HttpRequestException>(() => closed.GetAsync(status));
    }

    private static HttpClient Client(NetworkCredential? credential) =>
        new(new HttpClientHandler
        {
            Credentials = credential,
            PreAuthenticate = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        { Timeout = TimeSpan.FromSeconds(30) };

    private static string Endpoint(MariaDbServer server) => $"127.0.0.1:{server.Port}";

    /// <summary>Polls the proxy's runtime until <paramref name="endpoint"/> is the only ONLINE member of the writer hostgroup.</summary>
    private static async Task<TimeSpan?> WriterInRuntimeAsync(FailoverDrill drill, string endpoint, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var writers = drill.Proxy.Host.Runtime.Snapshot.FindHostgroup(10)?.Members
                .Where(m => m.Config.Status == ServerStatus.Online).Select(m => m.Server.ToString()).ToList() ?? [];
            if (writers.Count == 1 && writers[0] == endpoint)
                return clock.Elapsed;
            await Task.Delay(20);
        }
        return null;
    }

    /// <summary>Reads and inserts through the proxy until cancelled, so the page has rates to show; failures during the failover are expected.</summary>
    private static async Task TrafficAsync(FailoverDrill drill, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new MySqlConnection(drill.ConnectionString());
                // never a token to MySqlConnector: cancelling would send KILL QUERY synchronously
                await connection.OpenAsync(CancellationToken.None);
                while (!stop.IsCancellationRequested)
                {
                    await new MySqlCommand("SELECT @@hostname", connection).ExecuteScalarAsync(CancellationToken.None);
                    await new MySqlCommand("INSERT INTO testdb.insert_test VALUES (@@hostname, now(6))", connection).ExecuteNonQueryAsync(CancellationToken.None);
                    await Task.Delay(5, CancellationToken.None);
                }
            }
            catch (MySqlException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }
}
