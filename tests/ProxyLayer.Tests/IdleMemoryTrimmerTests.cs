using Microsoft.Extensions.Time.Testing;

namespace ProxyLayer.Tests;

public sealed class IdleMemoryTrimmerTests
{
    private readonly FakeTimeProvider _time = new();
    private long _activity;

    [Fact]
    public async Task Trims_once_when_a_period_passes_idle_after_activity_and_never_while_busy()
    {
        await using var trimmer = new IdleMemoryTrimmer(() => Interlocked.Read(ref _activity), _time);

        await TickAsync(); // idle from the start: nothing to give back
        Assert.Equal(0, trimmer.Trims);

        for (var i = 0; i < 3; i++)
        {
            Interlocked.Increment(ref _activity);
            await TickAsync(); // busy
        }
        Assert.Equal(0, trimmer.Trims);

        await TickAsync(); // the first idle period after the burst
        await WaitForAsync(() => trimmer.Trims == 1);
        await TickAsync();
        await TickAsync();
        Assert.Equal(1, trimmer.Trims); // still the same idle stretch
    }

    private async Task TickAsync()
    {
        _time.Advance(IdleMemoryTrimmer.Period);
        await Task.Delay(50); // lets the trimmer's loop see the tick
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25);
        Assert.True(condition());
    }
}
