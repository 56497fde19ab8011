using ProxyLayer.Scheduler;

namespace ProxyLayer.Tests.Scheduler;

public class RunCadenceTests
{
    [Fact]
    public void A_short_run_keeps_the_fixed_rate()
    {
        Assert.Equal((2000L, 0L), RunCadence.After(due: 1000, now: 1030, interval: 1000));
    }

    [Fact]
    public void A_run_longer_than_its_interval_skips_the_due_times_it_covered()
    {
        // Due at 1000, ended at 3500: the runs due at 2000 and 3000 fell inside it and are skipped, not run late.
        Assert.Equal((4000L, 2L), RunCadence.After(due: 1000, now: 3500, interval: 1000));
    }

    [Fact]
    public void A_run_ending_exactly_on_a_due_time_skips_it_rather_than_start_at_once()
    {
        Assert.Equal((3000L, 1L), RunCadence.After(due: 1000, now: 2000, interval: 1000));
    }
}
