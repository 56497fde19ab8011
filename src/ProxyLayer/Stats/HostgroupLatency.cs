namespace ProxyLayer.Stats;

/// <summary>
/// Statement time per hostgroup: a count, a total and the <see cref="CommandCounters"/> buckets, for
/// <c>proxylayer_hostgroup_statement_duration_seconds</c> and the dashboard. Hostgroup ids are arbitrary ints, so
/// each claims one of a fixed set of slots on first use (compare-and-swap, open addressing); once claimed a slot is
/// never given back, so recording is a probe of an int array and three <see cref="Interlocked"/> adds: no lock, no
/// allocation. Past <see cref="Slots"/> distinct hostgroups the rest share one overflow row (hostgroup
/// <see cref="OverflowHostgroup"/>).
/// </summary>
internal sealed class HostgroupLatency
{
    public const int Slots = 128;
    public const int OverflowHostgroup = int.MinValue;

    // Per slot: [total time µs, count, bucket 0 … bucket 11].
    private const int Stride = 2 + CommandCounters.BucketCount;
    private const int Empty = 0;

    // Slot i holds hostgroup (_keys[i] - 1) once claimed; 0 means free. The overflow row is the extra last slot.
    private readonly long[] _keys = new long[Slots];
    private readonly long[] _values = new long[(Slots + 1) * Stride];

    public void Record(int hostgroup, long elapsedMicroseconds)
    {
        elapsedMicroseconds = Math.Max(0, elapsedMicroseconds);
        var offset = SlotOf(hostgroup) * Stride;
        Interlocked.Add(ref _values[offset], elapsedMicroseconds);
        Interlocked.Increment(ref _values[offset + 1]);
        Interlocked.Increment(ref _values[offset + 2 + CommandCounters.BucketOf(elapsedMicroseconds)]);
    }

    private int SlotOf(int hostgroup)
    {
        var key = (long)hostgroup + 1 - int.MinValue; // never 0 (Empty), one key per int
        var start = (int)((uint)hostgroup * 2654435761u % Slots);
        for (var probe = 0; probe < Slots; probe++)
        {
            var slot = (start + probe) % Slots;
            var held = Volatile.Read(ref _keys[slot]);
            if (held == key)
                return slot;
            if (held == Empty)
            {
                var previous = Interlocked.CompareExchange(ref _keys[slot], key, Empty);
                if (previous == Empty || previous == key)
                    return slot;
            }
        }
        return Slots;
    }

    /// <summary>One row per hostgroup that ran a statement, by hostgroup id (the overflow row, if used, sorts first).</summary>
    public List<HostgroupLatencyRow> Snapshot()
    {
        var rows = new List<HostgroupLatencyRow>();
        for (var slot = 0; slot <= Slots; slot++)
        {
            int hostgroup;
            if (slot < Slots)
            {
                var key = Volatile.Read(ref _keys[slot]);
                if (key == Empty)
                    continue;
                hostgroup = (int)(key - 1 + int.MinValue);
            }
            else
            {
                hostgroup = OverflowHostgroup;
            }
            var offset = slot * Stride;
            var count = Interlocked.Read(ref _values[offset + 1]);
            if (count == 0)
                continue;
            var buckets = new long[CommandCounters.BucketCount];
            for (var bucket = 0; bucket < buckets.Length; bucket++)
                buckets[bucket] = Interlocked.Read(ref _values[offset + 2 + bucket]);
            rows.Add(new HostgroupLatencyRow(hostgroup, Interlocked.Read(ref _values[offset]), count, buckets));
        }
        rows.Sort((a, b) => a.Hostgroup.CompareTo(b.Hostgroup));
        return rows;
    }
}

/// <summary>One hostgroup's statement times; <paramref name="Buckets"/> follows <see cref="CommandCounters.BucketNames"/>.</summary>
internal sealed record HostgroupLatencyRow(int Hostgroup, long TotalTimeMicroseconds, long Count, IReadOnlyList<long> Buckets);
