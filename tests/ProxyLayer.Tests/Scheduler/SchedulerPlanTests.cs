using ProxyLayer.Config;
using ProxyLayer.Scheduler;

namespace ProxyLayer.Tests.Scheduler;

public class SchedulerPlanTests
{
    private static SchedulerJobConfig Row(int id, bool active = true, int interval = 1000, string file = "/bin/true", string? arg1 = null, string comment = "") =>
        new() { Id = id, Active = active, IntervalMs = interval, Filename = file, Arg1 = arg1, Comment = comment };

    private static Dictionary<int, SchedulerJobConfig> Running(params SchedulerJobConfig[] rows) => rows.ToDictionary(r => r.Id);

    [Fact]
    public void Nothing_running_starts_every_active_row_and_no_inactive_one()
    {
        var plan = SchedulerPlan.Between(Running(), [Row(3), Row(1), Row(2, active: false)]);

        Assert.Equal([1, 3], plan.Start.Select(r => r.Id));
        Assert.Empty(plan.Stop.ToArray());
        Assert.Empty(plan.Keep.ToArray());
    }

    [Fact]
    public void The_same_rows_again_change_nothing()
    {
        var plan = SchedulerPlan.Between(Running(Row(1), Row(2, arg1: "x")), [Row(1), Row(2, arg1: "x")]);

        Assert.True(plan.ChangesNothing);
        Assert.Equal([1, 2], plan.Keep.ToArray());
    }

    [Fact]
    public void A_row_set_inactive_or_deleted_is_stopped()
    {
        var plan = SchedulerPlan.Between(Running(Row(1), Row(2), Row(3)), [Row(1, active: false), Row(3)]);

        Assert.Equal([1, 2], plan.Stop.ToArray());
        Assert.Empty(plan.Start);
        Assert.Equal([3], plan.Keep.ToArray());
    }

    [Fact]
    public void A_row_whose_interval_file_or_arguments_changed_is_restarted_with_the_new_values()
    {
        var plan = SchedulerPlan.Between(
            Running(Row(1), Row(2), Row(3)),
            [Row(1, interval: 500), Row(2, file: "/bin/false"), Row(3, arg1: "--verbose")]);

        Assert.Equal([1, 2, 3], plan.Stop.ToArray());
        Assert.Equal([Row(1, interval: 500), Row(2, file: "/bin/false"), Row(3, arg1: "--verbose")], plan.Start.ToArray());
        Assert.Empty(plan.Keep.ToArray());
    }

    [Fact]
    public void A_comment_alone_does_not_restart_the_job()
    {
        var plan = SchedulerPlan.Between(Running(Row(1, comment: "old")), [Row(1, comment: "new")]);

        Assert.True(plan.ChangesNothing);
        Assert.Equal([1], plan.Keep.ToArray());
    }
}
