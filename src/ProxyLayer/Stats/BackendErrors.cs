using System.Collections.Concurrent;

namespace ProxyLayer.Stats;

/// <summary>
/// The errors backends returned to clients, for <c>stats_mysql_errors</c>: one entry per hostgroup, server, user,
/// schema and error number, as ProxySQL keys the table, with the client address and message of the latest. Touched only
/// when a backend answers with an error: a statement that succeeds never reaches it.
/// </summary>
internal sealed class BackendErrors
{
    /// <summary>
    /// Distinct entries kept at most (ProxySQL keeps them without bound): a flood of distinct users or schemas cannot
    /// grow it further; errors of new keys past this are counted in <see cref="Dropped"/> only.
    /// </summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<BackendErrorKey, BackendErrorEntry> _entries = new();
    private long _dropped;

    /// <summary>Errors of new keys not kept because the table was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(in BackendErrorKey key, string clientAddress, string message, long unixSeconds)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxEntries)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            entry = _entries.GetOrAdd(key, static (_, seen) => new BackendErrorEntry(seen), unixSeconds);
        }
        entry.Add(clientAddress, message, unixSeconds);
    }

    /// <summary>The entries now, with their counts; <paramref name="reset"/> also empties the table (<c>stats_mysql_errors_reset</c>).</summary>
    public List<(BackendErrorKey Key, BackendErrorEntry.Snapshot Seen)> Read(bool reset)
    {
        var rows = new List<(BackendErrorKey, BackendErrorEntry.Snapshot)>(_entries.Count);
        foreach (var (key, entry) in _entries)
        {
            if (reset && !_entries.TryRemove(key, out _))
                continue;
            rows.Add((key, entry.Read()));
        }
        return rows;
    }
}

internal readonly record struct BackendErrorKey(int Hostgroup, string Hostname, int Port, string Username, string Schema, int Errno);

/// <summary>One key's count and latest occurrence; updated without a lock (the count exact, the latest fields last-writer-wins).</summary>
internal sealed class BackendErrorEntry(long firstSeen)
{
    private readonly long _firstSeen = firstSeen;
    private long _count;
    private long _lastSeen = firstSeen;
    private Latest _latest = new("", "");

    private sealed record Latest(string ClientAddress, string Message);

    public readonly record struct Snapshot(long Count, long FirstSeen, long LastSeen, string ClientAddress, string Message);

    public void Add(string clientAddress, string message, long unixSeconds)
    {
        Interlocked.Increment(ref _count);
        Volatile.Write(ref _lastSeen, unixSeconds);
        var latest = Volatile.Read(ref _latest);
        if (!string.Equals(latest.ClientAddress, clientAddress, StringComparison.Ordinal) || !string.Equals(latest.Message, message, StringComparison.Ordinal))
            Volatile.Write(ref _latest, new Latest(clientAddress, message));
    }

    public Snapshot Read()
    {
        var latest = Volatile.Read(ref _latest);
        return new Snapshot(Interlocked.Read(ref _count), _firstSeen, Volatile.Read(ref _lastSeen), latest.ClientAddress, latest.Message);
    }
}
