namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// Time-to-detect of failovers in one writer hostgroup: a histogram in seconds plus the last value. Written under the
/// <see cref="WriterChangeTracker"/>'s lock at monitor moves only (a few per failover), so it needs no lock-free tricks.
/// </summary>
internal sealed class DetectHistogram
{
    /// <summary>Upper bounds in seconds; the last bucket is +Inf. Monitor intervals are seconds, so detection is too.</summary>
    public static readonly double[] BucketBounds = [0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private readonly long[] _buckets = new long[BucketBounds.Length + 1];
    private double _sum;
    private long _count;
    private double _last;

    public readonly record struct Reading(long[] Buckets, double Sum, long Count, double Last);

    public void Observe(double seconds)
    {
        var i = 0;
        while (i < BucketBounds.Length && seconds > BucketBounds[i])
            i++;
        _buckets[i]++;
        _sum += seconds;
        _count++;
        _last = seconds;
    }

    public Reading Read() => new([.. _buckets], _sum, _count, _last);
}
