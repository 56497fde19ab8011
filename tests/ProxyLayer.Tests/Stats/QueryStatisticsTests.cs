using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Stats;

public sealed class QueryStatisticsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    private static ExecutedStatement Statement(string query, long micros = 100, int hostgroup = 1, string user = "app",
        string schema = "shop", string client = "10.0.0.5", long affected = 0, long sent = 0) => new()
        {
            Query = query.AsMemory(),
            Hostgroup = hostgroup,
            Username = user,
            Schema = schema,
            ClientAddress = client,
            ElapsedMicroseconds = micros,
            RowsAffected = affected,
            RowsSent = sent,
        };

    [Fact]
    public void Same_shape_with_different_literals_aggregates_into_one_row()
    {
        var stats = new QueryStatistics(_time);
        stats.Record(Statement("SELECT * FROM t WHERE id = 1", micros: 300, sent: 1));
        _time.Advance(TimeSpan.FromSeconds(5));
        stats.Record(Statement("SELECT * FROM t WHERE id = 2", micros: 100, sent: 2));
        stats.Record(Statement("SELECT  *  FROM t WHERE id='x'", micros: 200, sent: 0, affected: 0));

        var row = Assert.Single(stats.Digests.Snapshot());
        Assert.Equal("SELECT * FROM t WHERE id=?", row.Text);
        Assert.Equal(new DigestKey(1, "shop", "app", "", row.Key.Hash), row.Key);
        Assert.Equal((3L, 600L, 100L, 300L, 3L), (row.CountStar, row.SumTime, row.MinTime, row.MaxTime, row.SumRowsSent));
        Assert.Equal((1_700_000_000L, 1_700_000_005L), (row.FirstSeen, row.LastSeen));
    }

    [Fact]
    public void Hostgroup_user_and_schema_are_part_of_the_key()
    {
        var stats = new QueryStatistics(_time);
        stats.Record(Statement("SELECT 1", hostgroup: 1));
        stats.Record(Statement("SELECT 2", hostgroup: 2));
        stats.Record(Statement("SELECT 3", user: "other"));
        stats.Record(Statement("SELECT 4", schema: "other"));
        Assert.Equal(4, stats.Digests.Snapshot().Count);
    }

    [Fact]
    public void Client_address_is_keyed_only_when_tracking_is_on()
    {
        var stats = new QueryStatistics(_time);
        stats.Record(Statement("SELECT 1", client: "10.0.0.1"));
        stats.Record(Statement("SELECT 1", client: "10.0.0.2"));
        Assert.Equal("", Assert.Single(stats.Digests.Snapshot()).Key.ClientAddress);

        stats.Configure(QueryStatisticsOptions.Default with { TrackClientAddress = true });
        stats.Digests.Reset();
        stats.Record(Statement("SELECT 1", client: "10.0.0.1"));
        stats.Record(Statement("SELECT 1", client: "10.0.0.2"));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], stats.Digests.Snapshot().Select(r => r.Key.ClientAddress).Order());
    }

    [Fact]
    public void The_table_never_grows_past_its_bound_and_counts_the_rest_as_overflow()
    {
        var stats = new QueryStatistics(_time, QueryStatisticsOptions.Default with { MaxDigestEntries = 3 });
        for (var i = 0; i < 10; i++)
            stats.Record(Statement($"SELECT c{i} FROM t"));
        stats.Record(Statement("SELECT c0 FROM t"));

        var rows = stats.Digests.Snapshot();
        Assert.Equal(3, rows.Count);
        Assert.Equal(3, stats.Digests.Count);
        Assert.Equal(7, stats.Digests.Overflow);
        Assert.Equal(2, rows.Single(r => r.Text == "SELECT c0 FROM t").CountStar);
        Assert.Equal(11, stats.Globals.Questions);
    }

    [Fact]
    public void The_bound_holds_under_concurrent_recording()
    {
        var stats = new QueryStatistics(_time, QueryStatisticsOptions.Default with { MaxDigestEntries = 50 });
        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 500; i++)
                stats.Record(Statement($"SELECT c{i % 120} FROM t{worker % 2}"));
        });
        var rows = stats.Digests.Snapshot();
        Assert.Equal(50, rows.Count);
        Assert.Equal(2000, rows.Sum(r => r.CountStar) + stats.Digests.Overflow);
    }

    [Fact]
    public void Take_and_reset_returns_the_rows_and_starts_empty()
    {
        var stats = new QueryStatistics(_time, QueryStatisticsOptions.Default with { MaxDigestEntries = 1 });
        stats.Record(Statement("SELECT 1"));
        var taken = stats.Digests.TakeAndReset();
        Assert.Equal(1, Assert.Single(taken).CountStar);
        Assert.Empty(stats.Digests.Snapshot());

        // The bound is per generation: after a reset there is room again.
        stats.Record(Statement("SELECT x FROM t"));
        Assert.Equal("SELECT x FROM t", Assert.Single(stats.Digests.Snapshot()).Text);
    }

    [Fact]
    public void Disabled_digests_still_count_questions_and_commands()
    {
        var stats = new QueryStatistics(_time, QueryStatisticsOptions.Default with { DigestsEnabled = false });
        stats.Record(Statement("COMMIT"));
        Assert.Empty(stats.Digests.Snapshot());
        Assert.Equal(1, stats.Globals.Questions);
        Assert.Equal(1, stats.Commands.Count(QueryCommand.Commit));
    }

    [Fact]
    public void Slow_queries_are_those_above_long_query_time()
    {
        var stats = new QueryStatistics(_time, QueryStatisticsOptions.Default with { SlowQueryMicroseconds = 1000 });
        stats.Record(Statement("SELECT 1", micros: 1000));
        stats.Record(Statement("SELECT 1", micros: 1001));
        Assert.Equal(1, stats.Globals.SlowQueries);
        Assert.Equal(2001, stats.Globals.BackendQueryTimeMicroseconds);
    }

    [Fact]
    public void Locally_answered_commit_and_rollback_count_as_filtered()
    {
        var stats = new QueryStatistics(_time);
        stats.RecordAnsweredLocally("COMMIT");
        stats.RecordAnsweredLocally(" rollback ");
        stats.RecordAnsweredLocally("ROLLBACK");
        Assert.Equal((1L, 2L, 3L), (stats.Globals.CommitFiltered, stats.Globals.RollbackFiltered, stats.Globals.Questions));
        Assert.Equal(0, stats.Commands.Count(QueryCommand.Commit));
    }

    [Fact]
    public void Recording_a_known_digest_with_a_precomputed_digest_allocates_nothing()
    {
        var stats = new QueryStatistics(TimeProvider.System);
        var statement = Statement("SELECT * FROM t WHERE id = 1") with { Digest = stats.ComputeDigest("SELECT * FROM t WHERE id = 1") };
        for (var i = 0; i < 100; i++)
            stats.Record(statement);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            stats.Record(statement);
        // Any per-call allocation would be at least 24 000 bytes here; the slack covers a one-off by the JIT's tiering.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256);
        Assert.Equal(1100, Assert.Single(stats.Digests.Snapshot()).CountStar);
    }

    [Fact]
    public void Elapsed_time_follows_the_time_provider()
    {
        var stats = new QueryStatistics(_time);
        var start = stats.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(2.5));
        Assert.Equal(2500, stats.ElapsedMicroseconds(start));
        Assert.Equal(TimeSpan.FromMilliseconds(2.5), stats.Uptime);
    }
}
