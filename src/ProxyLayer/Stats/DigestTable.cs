using System.Collections.Concurrent;

namespace ProxyLayer.Stats;

/// <summary>
/// The in-memory digest table: one <see cref="DigestEntry"/> per <see cref="DigestKey"/>, at most a fixed number of
/// entries. Once full, statements of unseen keys are only counted in <see cref="Overflow"/>, so memory stays bounded
/// however many query shapes clients send. Known keys are updated lock-free.
/// </summary>
internal sealed class DigestTable
{
    private Generation _current = new();
    private long _overflow;

    /// <summary>Statements not recorded because the table was full (since start; a reset does not clear it).</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    public int Count => Volatile.Read(ref Volatile.Read(ref _current).Count);

    /// <summary>
    /// Adds one statement to its key's totals. <paramref name="text"/> is stored only when the key is new.
    /// Returns false if the key is new and the table already holds <paramref name="maxEntries"/> keys.
    /// </summary>
    public bool Record(in DigestKey key, ReadOnlySpan<char> text, long now, long elapsedMicroseconds, long rowsAffected, long rowsSent, int maxEntries)
    {
        var generation = Volatile.Read(ref _current);
        if (!generation.Entries.TryGetValue(key, out var entry))
        {
            entry = TryAdd(generation, key, text, now, maxEntries);
            if (entry is null)
            {
                Interlocked.Increment(ref _overflow);
                return false;
            }
        }
        entry.Add(now, elapsedMicroseconds, rowsAffected, rowsSent);
        return true;
    }

    /// <summary>The current rows, in no particular order.</summary>
    public List<DigestRow> Snapshot() => ToRows(Volatile.Read(ref _current));

    /// <summary>
    /// The current rows, and an empty table from now on (what reading <c>stats_mysql_query_digest_reset</c> does). A
    /// statement being recorded at that very moment may land in the old table and be lost; nothing else is.
    /// </summary>
    public List<DigestRow> TakeAndReset() => ToRows(Interlocked.Exchange(ref _current, new Generation()));

    public void Reset() => Interlocked.Exchange(ref _current, new Generation());

    private static DigestEntry? TryAdd(Generation generation, in DigestKey key, ReadOnlySpan<char> text, long now, int maxEntries)
    {
        // Reserve a slot first so concurrent adders can never push the table past the bound.
        if (Interlocked.Increment(ref generation.Count) > maxEntries)
        {
            Interlocked.Decrement(ref generation.Count);
            // Another session may have added this very key meanwhile: it is then counted, not an overflow.
            return generation.Entries.GetValueOrDefault(key);
        }
        var fresh = new DigestEntry(text.ToString(), now);
        var stored = generation.Entries.GetOrAdd(key, fresh);
        if (!ReferenceEquals(stored, fresh))
            Interlocked.Decrement(ref generation.Count);
        return stored;
    }

    private static List<DigestRow> ToRows(Generation generation)
    {
        var rows = new List<DigestRow>(Volatile.Read(ref generation.Count));
        foreach (var (key, entry) in generation.Entries)
            rows.Add(entry.ToRow(key));
        return rows;
    }

    /// <summary>A table and its entry count, swapped as one on reset so the bound stays exact.</summary>
    private sealed class Generation
    {
        public readonly ConcurrentDictionary<DigestKey, DigestEntry> Entries = new();
        public int Count;
    }
}
