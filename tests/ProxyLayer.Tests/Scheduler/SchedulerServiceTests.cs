using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Scheduler;

namespace ProxyLayer.Tests.Scheduler;

/// <summary>The service following runtime loads. Time is fake and never advanced, so no program runs here.</summary>
public sealed class SchedulerServiceTests : IAsyncDisposable
{
    private readonly RuntimeConfigManager _runtime = new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
    private readonly SchedulerService _service;

    public SchedulerServiceTests() => _service = new SchedulerService(_runtime, new FakeTimeProvider(), NullLoggerFactory.Instance);

    private static SchedulerJobConfig Row(int id, bool active = true, int interval = 1000) =>
        new() { Id = id, Active = active, IntervalMs = interval, Filename = "/bin/true" };

    private void Load(params SchedulerJobConfig[] rows) =>
        Assert.True(_runtime.Apply(_runtime.Current with { Scheduler = [.. rows] }).Succeeded);

    [Fact]
    public void Follows_each_load_of_the_runtime()
    {
        Load(Row(1), Row(2, active: false));
        Assert.Equal([1], _service.Running.Keys);

        Load(Row(1, interval: 2000), Row(2));
        Assert.Equal([1, 2], _service.Running.Keys.Order());
        Assert.Equal(2000, _service.Running[1].IntervalMs);

        Load(Row(1, active: false));
        Assert.Empty(_service.Running);
    }

    [Fact]
    public void A_load_of_another_module_leaves_the_jobs_alone()
    {
        Load(Row(1));
        var before = _service.Running[1];

        Assert.True(_runtime.Apply(_runtime.Current with { Servers = [new ServerConfig { HostgroupId = 0, Hostname = "db1" }] }).Succeeded);

        Assert.Same(before, _service.Running[1]);
    }

    [Fact]
    public void Rows_the_table_would_refuse_are_refused_by_the_runtime_too()
    {
        var result = _runtime.Apply(_runtime.Current with { Scheduler = [Row(1, interval: 50), Row(1) with { Filename = "" }] });

        Assert.False(result.Succeeded);
        Assert.Contains("scheduler (id=1): interval_ms 50 is out of range (100..100000000)", result.Errors);
        Assert.Contains("scheduler (id=1): duplicate id", result.Errors);
        Assert.Contains("scheduler (id=1): filename is empty", result.Errors);
        Assert.Empty(_service.Running);
    }

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();
}
