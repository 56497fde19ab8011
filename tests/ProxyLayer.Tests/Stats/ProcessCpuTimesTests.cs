using ProxyLayer.Stats.History;

namespace ProxyLayer.Tests.Stats;

public sealed class ProcessCpuTimesTests
{
    [Fact]
    public void Utime_and_stime_are_counted_from_the_last_parenthesis_so_a_command_name_with_spaces_cannot_shift_them()
    {
        const string stat = "4242 (dotnet) (x y) S 1 4242 4242 0 -1 4194560 12345 0 0 0 731 158 0 0 20 0 25 0 1000 0 0";
        Assert.Equal((731L, 158L), ProcessCpuTimes.Parse(stat));
        Assert.Null(ProcessCpuTimes.Parse("4242 (dotnet S 1"));
        Assert.Null(ProcessCpuTimes.Parse("4242 (dotnet) S 1 2 3"));
    }

    [Fact]
    public void This_process_has_used_some_cpu_and_the_figures_never_go_back()
    {
        var first = ProcessCpuTimes.Now();
        Assert.True(first.User + first.System > 0);
        // Spin until a tick (10 ms of CPU) shows; 5 s of wall time leaves room for a loaded machine.
        var second = first;
        var giveUp = DateTime.UtcNow.AddSeconds(5);
        while (second.User + second.System == first.User + first.System && DateTime.UtcNow < giveUp)
        {
            Thread.SpinWait(10_000);
            second = ProcessCpuTimes.Now();
        }
        Assert.True(second.User >= first.User && second.System >= first.System);
        Assert.True(second.User + second.System > first.User + first.System, "spinning shows as CPU time");
    }
}
