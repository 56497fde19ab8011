using System.Collections.Concurrent;

namespace ProxyLayer.Backends;

/// <summary>
/// Databases a server accepted lately for a user's login, so a burst of logins naming the same database checks it
/// once per <see cref="Validity"/> instead of once per login (one backend round trip, and a connection taken from the
/// pool, per login otherwise). A database dropped meanwhile is noticed by the next check, or by the first statement,
/// as it was before logins were checked at all.
/// </summary>
internal sealed class RecentLoginSchemas(TimeProvider time)
{
    public static readonly TimeSpan Validity = TimeSpan.FromSeconds(1);

    /// <summary>Only databases that exist are kept, so this bounds what a burst of distinct names could add anyway.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string User, string Schema, int Hostgroup), long> _acceptedAt = new();

    public bool AcceptedRecently(string user, string schema, int hostgroup) =>
        _acceptedAt.TryGetValue((user, schema, hostgroup), out var at) && time.GetElapsedTime(at) < Validity;

    public void Accepted(string user, string schema, int hostgroup)
    {
        if (_acceptedAt.Count >= MaxEntries)
            _acceptedAt.Clear();
        _acceptedAt[(user, schema, hostgroup)] = time.GetTimestamp();
    }
}
