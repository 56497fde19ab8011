using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Mirroring;
using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Mirroring;

/// <summary>
/// The queue and concurrency bounds, against a mirror hostgroup with no servers: each copy waits
/// mysql-connect_timeout_server_max for a server, then fails, which holds its slot long enough to observe.
/// </summary>
public sealed class StatementMirrorTests : IAsyncLifetime
{
    private readonly RuntimeConfigManager _runtime = new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
    private StatementMirror _mirror = null!;

    private static readonly MirrorRequest Request = new()
    {
        Query = "INSERT INTO t VALUES (1)",
        Credentials = new BackendCredentials("app", "secret", null),
        PoolKey = new BackendPoolKey("app", 0, 33),
        CharacterSetStatement = "SET NAMES utf8mb4",
        DefaultHostgroup = 10,
        MirrorHostgroup = 99,
    };

    public Task InitializeAsync()
    {
        _mirror = new StatementMirror(_runtime, new BackendConnectionProvider(_runtime, NullLogger<BackendConnectionProvider>.Instance),
            new QueryStatistics(TimeProvider.System), NullLogger<StatementMirror>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _mirror.DisposeAsync();

    // A copy gives up on the empty hostgroup after connect_timeout_server_max: long enough that a loaded machine still
    // sees it running when the test looks (400 ms once ran out first).
    private void Configure(int concurrency, int queueLength) =>
        Assert.True(_runtime.Apply(ProxyConfig.Empty with
        {
            Variables = ProxyConfig.Empty.Variables.SetItems(
            [
                KeyValuePair.Create("mysql-mirror_max_concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create("mysql-mirror_max_queue_length", queueLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create("mysql-connect_timeout_server_max", "1500"),
            ]),
        }).Succeeded);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Beyond_the_running_and_waiting_limits_copies_are_dropped()
    {
        Configure(concurrency: 1, queueLength: 1);

        Assert.True(_mirror.TryEnqueue(Request, 30));
        await WaitUntilAsync(() => _mirror.Running == 1, "the first copy to start");
        Assert.True(_mirror.TryEnqueue(Request, 30));
        Assert.False(_mirror.TryEnqueue(Request, 30));

        Assert.Equal((1, 1, 1L), (_mirror.Running, _mirror.Queued, _mirror.Dropped));
        await WaitUntilAsync(() => _mirror.Failed == 2, "both copies to give up on the empty hostgroup");
        Assert.Equal((0, 0), (_mirror.Running, _mirror.Queued));
        Assert.Contains(("Mirror_dropped", 1L), _mirror.GlobalCounters());
    }

    [Fact]
    public async Task Copies_run_side_by_side_up_to_the_concurrency_limit()
    {
        Configure(concurrency: 3, queueLength: 10);

        for (var i = 0; i < 5; i++)
            Assert.True(_mirror.TryEnqueue(Request, 30));

        await WaitUntilAsync(() => _mirror.Running == 3, "three copies to run");
        Assert.Equal(2, _mirror.Queued);
        await WaitUntilAsync(() => _mirror.Failed == 5, "all copies to finish");
    }

    [Fact]
    public void A_zero_queue_length_drops_every_copy_as_in_proxysql()
    {
        Configure(concurrency: 4, queueLength: 0);

        Assert.False(_mirror.TryEnqueue(Request, 30));
        Assert.Equal(1, _mirror.Dropped);
    }

    [Fact]
    public void Statements_of_15_MB_or_more_are_not_mirrored()
    {
        Configure(concurrency: 4, queueLength: 10);

        Assert.False(_mirror.TryEnqueue(Request, StatementMirror.MaxStatementBytes));
        Assert.Equal(1, _mirror.Dropped);
    }
}
