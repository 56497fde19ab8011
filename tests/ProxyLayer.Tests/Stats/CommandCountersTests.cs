using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Stats;

public sealed class CommandCountersTests
{
    [Theory]
    [InlineData(0, "cnt_100us")]
    [InlineData(100, "cnt_100us")]
    [InlineData(101, "cnt_500us")]
    [InlineData(1_000, "cnt_1ms")]
    [InlineData(4_999, "cnt_5ms")]
    [InlineData(10_000, "cnt_10ms")]
    [InlineData(50_001, "cnt_100ms")]
    [InlineData(500_000, "cnt_500ms")]
    [InlineData(1_000_000, "cnt_1s")]
    [InlineData(5_000_000, "cnt_5s")]
    [InlineData(10_000_000, "cnt_10s")]
    [InlineData(10_000_001, "cnt_INFs")]
    public void Each_statement_lands_in_the_first_bucket_whose_bound_holds_it(long micros, string bucket)
    {
        var counters = new CommandCounters();
        counters.Record(QueryCommand.Select, micros);
        var row = counters.Snapshot()[(int)QueryCommand.Select];
        var index = CommandCounters.BucketNames.ToList().IndexOf(bucket);
        Assert.Equal(1, row.Buckets[index]);
        Assert.Equal(1, row.Buckets.Sum());
    }

    [Fact]
    public void Totals_add_up_per_command_and_every_command_has_a_row()
    {
        var counters = new CommandCounters();
        counters.Record(QueryCommand.Insert, 150);
        counters.Record(QueryCommand.Insert, 2_000);
        counters.Record(QueryCommand.Select, 50);

        var rows = counters.Snapshot();
        Assert.Equal(QueryCommandNames.Count, rows.Length);
        var insert = rows.Single(r => r.Name == "INSERT");
        Assert.Equal((2_150L, 2L), (insert.TotalTimeMicroseconds, insert.TotalCount));
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], insert.Buckets);
        Assert.Equal(0, rows.Single(r => r.Name == "UPDATE").TotalCount);
    }
}
