namespace ProxyLayer.Stats;

/// <summary>
/// The running totals of one digest key. Updated concurrently by sessions with <see cref="Interlocked"/> only; a
/// reader may see the fields of one statement half applied, which a stats table tolerates.
/// </summary>
internal sealed class DigestEntry
{
    private long _count;
    private long _lastSeen;
    private long _sumTime;
    private long _minTime = long.MaxValue;
    private long _maxTime;
    private long _sumRowsAffected;
    private long _sumRowsSent;

    public DigestEntry(string text, long firstSeen)
    {
        Text = text;
        FirstSeen = firstSeen;
        _lastSeen = firstSeen;
    }

    /// <summary>The digest text of the first statement seen with this key.</summary>
    public string Text { get; }

    /// <summary>Unix seconds.</summary>
    public long FirstSeen { get; }

    public void Add(long now, long elapsedMicroseconds, long rowsAffected, long rowsSent)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumTime, elapsedMicroseconds);
        Interlocked.Add(ref _sumRowsAffected, rowsAffected);
        Interlocked.Add(ref _sumRowsSent, rowsSent);
        RaiseTo(ref _lastSeen, now);
        RaiseTo(ref _maxTime, elapsedMicroseconds);
        LowerTo(ref _minTime, elapsedMicroseconds);
    }

    public DigestRow ToRow(in DigestKey key)
    {
        var count = Interlocked.Read(ref _count);
        var min = Interlocked.Read(ref _minTime);
        return new DigestRow(key, Text, count, FirstSeen, Interlocked.Read(ref _lastSeen), Interlocked.Read(ref _sumTime),
            min == long.MaxValue ? 0 : min, Interlocked.Read(ref _maxTime),
            Interlocked.Read(ref _sumRowsAffected), Interlocked.Read(ref _sumRowsSent));
    }

    private static void RaiseTo(ref long field, long value)
    {
        var current = Volatile.Read(ref field);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref field, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    private static void LowerTo(ref long field, long value)
    {
        var current = Volatile.Read(ref field);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref field, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}

/// <summary>One row of <c>stats_mysql_query_digest</c>. Times in µs, seen in unix seconds.</summary>
internal readonly record struct DigestRow(
    DigestKey Key,
    string Text,
    long CountStar,
    long FirstSeen,
    long LastSeen,
    long SumTime,
    long MinTime,
    long MaxTime,
    long SumRowsAffected,
    long SumRowsSent);
