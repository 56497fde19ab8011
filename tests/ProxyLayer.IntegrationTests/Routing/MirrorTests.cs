using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// mirror_hostgroup / mirror_flagOUT against two independent servers: the data-path server in hostgroup 10 and a
/// second server in hostgroup 20. A mirrored statement runs on both; the client waits only for its own.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class MirrorTests(MariaDbFixture backend, SecondServerFixture second, ITestOutputHelper output) : IClassFixture<SecondServerFixture>
{
    private const int MirrorHostgroup = 20;
    private const string Table = "testdb.mirror_probe";

    private ProxyUnderTest Start(params QueryRuleConfig[] rules)
    {
        var config = ProxyUnderTest.ConfigFor(backend.Server.Port);
        return ProxyUnderTest.Start(config with
        {
            Servers = config.Servers.Add(new ServerConfig { HostgroupId = MirrorHostgroup, Hostname = "127.0.0.1", Port = second.Server.Port }),
            QueryRules = [.. rules],
        }, output);
    }

    private async Task ResetTableAsync()
    {
        const string ddl = $"CREATE TABLE IF NOT EXISTS {Table} (id INT PRIMARY KEY, v VARCHAR(16)); TRUNCATE {Table}";
        await backend.Server.ExecuteAsync(ddl);
        await second.Server.ExecuteAsync(ddl);
    }

    private static async Task<long> CountAsync(MariaDbServer server, string where = "1=1") =>
        Convert.ToInt64(await server.QueryScalarAsync($"SELECT COUNT(*) FROM {Table} WHERE {where}"), CultureInfo.InvariantCulture);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_insert_with_a_mirror_rule_lands_on_both_servers()
    {
        await ResetTableAsync();
        await using var proxy = Start(new QueryRuleConfig
        {
            RuleId = 1, Active = true, MatchPattern = "^INSERT INTO testdb\\.mirror_probe", DestinationHostgroup = ProxyUnderTest.Hostgroup,
            MirrorHostgroup = MirrorHostgroup, Apply = true,
        });
        await using var connection = await proxy.OpenAsync();

        for (var id = 1; id <= 3; id++)
            await new MySqlCommand($"INSERT INTO {Table} VALUES ({id}, 'row')", connection).ExecuteNonQueryAsync();

        Assert.Equal(3, await CountAsync(backend.Server));
        await WaitForAsync(async () => await CountAsync(second.Server) == 3, "the mirrored rows on the second server");
        Assert.Equal(3, proxy.Host.Mirror.Completed);
        // ProxySQL lists mirrored statements under the mirror hostgroup in stats_mysql_query_digest.
        var digests = proxy.Host.Statistics.Digests.Snapshot();
        Assert.Contains(digests, d => d.Key.Hostgroup == MirrorHostgroup && d.CountStar == 3 && d.Text.StartsWith("INSERT INTO testdb.mirror_probe", StringComparison.Ordinal));
        Assert.Contains(digests, d => d.Key.Hostgroup == ProxyUnderTest.Hostgroup && d.CountStar == 3);
    }

    [Fact]
    public async Task Mirror_flag_out_evaluates_the_copys_rules_which_route_and_rewrite_it()
    {
        await ResetTableAsync();
        await using var proxy = Start(
            new QueryRuleConfig
            {
                RuleId = 1, Active = true, MatchPattern = "^INSERT INTO testdb\\.mirror_probe", DestinationHostgroup = ProxyUnderTest.Hostgroup,
                MirrorFlagOut = 5, Apply = true,
            },
            // Only the copy reaches flagIN 5: it goes to hostgroup 20 and says where it came from.
            new QueryRuleConfig
            {
                RuleId = 2, Active = true, FlagIn = 5, MatchPattern = "'client'", ReplacePattern = "'copy'",
                DestinationHostgroup = MirrorHostgroup, Apply = true,
            });
        await using var connection = await proxy.OpenAsync();

        await new MySqlCommand($"INSERT INTO {Table} VALUES (1, 'client')", connection).ExecuteNonQueryAsync();

        await WaitForAsync(async () => await CountAsync(second.Server, "v = 'copy'") == 1, "the rewritten copy on the second server");
        Assert.Equal(1, await CountAsync(backend.Server, "v = 'client'"));
        Assert.Equal(0, await CountAsync(backend.Server, "v = 'copy'"));
    }

    [Fact]
    public async Task The_client_never_waits_for_its_mirror()
    {
        await using var proxy = Start(
            new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT 'fast'", MirrorFlagOut = 5, Apply = true },
            new QueryRuleConfig { RuleId = 2, Active = true, FlagIn = 5, MatchPattern = "^SELECT 'fast'", ReplacePattern = "SELECT SLEEP(2)", DestinationHostgroup = MirrorHostgroup });
        await using var connection = await proxy.OpenAsync();

        var clock = Stopwatch.StartNew();
        Assert.Equal("fast", await new MySqlCommand("SELECT 'fast'", connection).ExecuteScalarAsync());
        var answered = clock.Elapsed;

        output.WriteLine($"client answered after {answered.TotalMilliseconds:F0} ms");
        Assert.True(answered < TimeSpan.FromSeconds(1), $"the client waited {answered.TotalMilliseconds:F0} ms");
        Assert.Equal(1, proxy.Host.Mirror.Running + proxy.Host.Mirror.Queued);
        await WaitForAsync(() => Task.FromResult(proxy.Host.Mirror.Completed == 1), "the slow copy to finish");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_mirror_annotation_copies_one_statement()
    {
        await ResetTableAsync();
        await using var proxy = Start();
        await using var connection = await proxy.OpenAsync();

        await new MySqlCommand($"/* mirror={MirrorHostgroup} */ INSERT INTO {Table} VALUES (7, 'annotated')", connection).ExecuteNonQueryAsync();
        await new MySqlCommand($"INSERT INTO {Table} VALUES (8, 'plain')", connection).ExecuteNonQueryAsync();

        await WaitForAsync(async () => await CountAsync(second.Server) == 1, "the annotated statement's copy");
        Assert.Equal(2, await CountAsync(backend.Server));
        await Task.Delay(200);
        Assert.Equal(0, await CountAsync(second.Server, "id = 8"));
    }
}
