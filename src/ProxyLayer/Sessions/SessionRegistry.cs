using System.Collections.Concurrent;

namespace ProxyLayer.Sessions;

/// <summary>The live client sessions, for limits, the process list and shutdown.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<uint, ClientSession> _sessions = new();
    private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private int _nextId;

    public int Count => _sessions.Count;
    public IEnumerable<ClientSession> All => _sessions.Values;

    public uint NextConnectionId() => (uint)Interlocked.Increment(ref _nextId);

    /// <summary>Connection ids handed out so far (client and admin sessions): it moves whenever anyone connects.</summary>
    public long ConnectionsOpened => (uint)Volatile.Read(ref _nextId);

    public bool TryGet(uint connectionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClientSession? session) =>
        _sessions.TryGetValue(connectionId, out session);

    /// <summary>Enumerates the live sessions without copying them (the enumeration may miss or repeat concurrent changes).</summary>
    public IEnumerator<KeyValuePair<uint, ClientSession>> GetEnumerator() => _sessions.GetEnumerator();

    public void Add(ClientSession session) => _sessions[session.ConnectionId] = session;

    public void Remove(ClientSession session) => _sessions.TryRemove(session.ConnectionId, out _);

    /// <summary>Counts a login of <paramref name="username"/>; false if that would exceed <paramref name="limit"/>.</summary>
    public bool TryAddUserConnection(string username, int limit)
    {
        while (true)
        {
            if (!_perUser.TryGetValue(username, out var current))
            {
                if (limit <= 0)
                    return false;
                if (_perUser.TryAdd(username, 1))
                    return true;
                continue;
            }
            if (current >= limit)
                return false;
            if (_perUser.TryUpdate(username, current + 1, current))
                return true;
        }
    }

    public void RemoveUserConnection(string username) => _perUser.AddOrUpdate(username, 0, static (_, n) => Math.Max(0, n - 1));

    public int UserConnections(string username) => _perUser.GetValueOrDefault(username);
}
