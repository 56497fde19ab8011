using System.Collections.Concurrent;

namespace ProxyLayer.Sessions;

/// <summary>
/// Clear-text passwords the proxy has verified against a stored hash (a caching_sha2_password full authentication,
/// or mysql_clear_password over TLS), kept in memory only, as MySQL's server keeps its fast-path cache. They give
/// the caching_sha2_password fast path to later logins of a user stored as <c>$A$…</c>, and let the proxy log in to
/// servers as such a user. Keyed by the stored text too, so a changed password forgets the old one. Never written
/// anywhere: not to the log, the admin tables or a config file.
/// </summary>
internal sealed class LearnedPasswords
{
    /// <summary>Entries for passwords changed since start stay until this bound clears the lot.</summary>
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string User, string Stored), string> _clear = new();

    public string? Find(string user, string stored) => _clear.GetValueOrDefault((user, stored));

    public void Remember(string user, string stored, string clear)
    {
        if (_clear.Count >= MaxEntries)
            _clear.Clear();
        _clear[(user, stored)] = clear;
    }
}
