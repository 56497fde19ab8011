using System.Collections.Concurrent;

namespace ProxyLayer.Stats;

/// <summary>
/// Refused logins (wrong password or unknown user) counted per user name and client address, for
/// <c>stats_mysql_failed_logins</c>, and the decision to log one: the first of a burst for a pair is logged, later
/// ones within <see cref="Window"/> only counted, and the next line says how many were left out. A password is never
/// part of what is kept or logged.
/// </summary>
internal sealed class LoginFailures(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>A guessing run over many names must not grow memory without end: past this, the table starts again.</summary>
    private const int MaxPairs = 10_000;

    private readonly ConcurrentDictionary<(string User, string Address), Entry> _entries = new();

    public LoginFailures() : this(TimeProvider.System)
    {
    }

    /// <summary>Counts one refusal; returns the number left unlogged since the last line if this one is to be logged, else null.</summary>
    public long? Record(string user, string address)
    {
        if (_entries.Count >= MaxPairs && !_entries.ContainsKey((user, address)))
            _entries.Clear();
        var entry = _entries.GetOrAdd((user, address), static _ => new Entry());
        var now = time.GetUtcNow();
        lock (entry)
        {
            entry.Count++;
            entry.LastFailed = now;
            if (entry.LastLogged is { } logged && now - logged < Window)
            {
                entry.Unlogged++;
                return null;
            }
            entry.LastLogged = now;
            var unlogged = entry.Unlogged;
            entry.Unlogged = 0;
            return unlogged;
        }
    }

    public IEnumerable<(string User, string Address, long Count, DateTimeOffset LastFailed)> Rows()
    {
        foreach (var ((user, address), entry) in _entries)
        {
            lock (entry)
                yield return (user, address, entry.Count, entry.LastFailed);
        }
    }

    private sealed class Entry
    {
        public long Count;
        public long Unlogged;
        public DateTimeOffset LastFailed;
        public DateTimeOffset? LastLogged;
    }
}
