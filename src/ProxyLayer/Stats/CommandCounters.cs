namespace ProxyLayer.Stats;

/// <summary>
/// Per-<see cref="QueryCommand"/> totals and a latency histogram for <c>stats_mysql_commands_counters</c>. Each
/// statement lands in exactly one bucket: the first whose upper bound (inclusive) is at least its time. One flat array
/// of longs updated with <see cref="Interlocked"/>; no locks, no allocation.
/// </summary>
internal sealed class CommandCounters
{
    /// <summary>Upper bounds in µs of the buckets <c>cnt_100us</c> … <c>cnt_10s</c>; slower goes to <c>cnt_INFs</c>.</summary>
    private static readonly long[] BucketBounds = [100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000];

    /// <summary>The histogram column names, in table order.</summary>
    public static IReadOnlyList<string> BucketNames { get; } =
        ["cnt_100us", "cnt_500us", "cnt_1ms", "cnt_5ms", "cnt_10ms", "cnt_50ms", "cnt_100ms", "cnt_500ms", "cnt_1s", "cnt_5s", "cnt_10s", "cnt_INFs"];

    public const int BucketCount = 12;

    // Per command: [total time µs, total count, bucket 0 … bucket 11].
    private const int Stride = 2 + BucketCount;

    private readonly long[] _values = new long[QueryCommandNames.Count * Stride];

    public void Record(QueryCommand command, long elapsedMicroseconds)
    {
        elapsedMicroseconds = Math.Max(0, elapsedMicroseconds);
        var offset = (int)command * Stride;
        Interlocked.Add(ref _values[offset], elapsedMicroseconds);
        Interlocked.Increment(ref _values[offset + 1]);
        Interlocked.Increment(ref _values[offset + 2 + BucketOf(elapsedMicroseconds)]);
    }

    public long Count(QueryCommand command) => Interlocked.Read(ref _values[((int)command * Stride) + 1]);

    /// <summary>One row per command, including those never seen (ProxySQL lists them all).</summary>
    public CommandCounterRow[] Snapshot()
    {
        var rows = new CommandCounterRow[QueryCommandNames.Count];
        for (var command = 0; command < rows.Length; command++)
        {
            var offset = command * Stride;
            var buckets = new long[BucketCount];
            for (var bucket = 0; bucket < BucketCount; bucket++)
                buckets[bucket] = Interlocked.Read(ref _values[offset + 2 + bucket]);
            rows[command] = new CommandCounterRow((QueryCommand)command, Interlocked.Read(ref _values[offset]),
                Interlocked.Read(ref _values[offset + 1]), buckets);
        }
        return rows;
    }

    internal static int BucketOf(long elapsedMicroseconds)
    {
        for (var i = 0; i < BucketBounds.Length; i++)
        {
            if (elapsedMicroseconds <= BucketBounds[i])
                return i;
        }
        return BucketBounds.Length;
    }
}

/// <summary>One row of <c>stats_mysql_commands_counters</c>; <paramref name="Buckets"/> follows <see cref="CommandCounters.BucketNames"/>.</summary>
internal sealed record CommandCounterRow(QueryCommand Command, long TotalTimeMicroseconds, long TotalCount, IReadOnlyList<long> Buckets)
{
    public string Name => QueryCommandNames.Name(Command);
}
