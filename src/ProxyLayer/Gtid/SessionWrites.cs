using System.Text;
using ProxyLayer.Backends;

namespace ProxyLayer.Gtid;

/// <summary>
/// A client session's last committed write per replication domain, taken from the OK packets' <c>last_gtid</c>
/// session-state record (MariaDB), or per source UUID from their SESSION_TRACK_GTIDS record (MySQL), and where it was
/// written. Created on a session's first write, so sessions that never
/// write carry nothing; updated in place (one session, one thread at a time), so a write costs no allocation.
/// </summary>
internal sealed class SessionWrites
{
    // Almost always one domain; a few more are kept in the same arrays, grown only by a new domain.
    private uint[] _domains = new uint[2];
    private uint[] _servers = new uint[2];
    private ulong[] _sequences = new ulong[2];
    private int _count;

    // MySQL: the last own GTID per source UUID (one source per primary), in arrays of their own made at the first
    // MySQL write, so the MariaDB path above keeps its layout and costs.
    private Guid[]? _sources;
    private ulong[]? _numbers;
    private int _sourceCount;

    public int DomainCount => _count;

    /// <summary>MySQL source UUIDs with a recorded write.</summary>
    public int SourceCount => _sourceCount;

    /// <summary>The hostgroup the last write went to: a read routed elsewhere must see it.</summary>
    public int Hostgroup { get; private set; }

    /// <summary>The server that committed the last write: it has it by definition, whatever the monitor last saw.</summary>
    public BackendServer? WrittenOn { get; private set; }

    public void Record(MariaDbGtid gtid, int hostgroup, BackendServer server)
    {
        Hostgroup = hostgroup;
        WrittenOn = server;
        // After a failover the new primary continues the domain's sequence; a lower one means the session now writes
        // to a server whose history diverged, and its own newest write is what it must read: so always replaced.
        Put(gtid, onlyIfLater: false);
    }

    /// <summary>
    /// A MySQL commit: the newest GTID of its source replaces the last (as for MariaDB, a new primary after a failover
    /// is what the session must now read). Only the last per source is kept: a replica that has it has the session's
    /// earlier ones when it commits in order (replica_preserve_commit_order, on by default since MySQL 8.0.27).
    /// </summary>
    public void Record(MySqlGtid gtid, int hostgroup, BackendServer server)
    {
        Hostgroup = hostgroup;
        WrittenOn = server;
        for (var i = 0; i < _sourceCount; i++)
        {
            if (_sources![i] == gtid.Source)
            {
                _numbers![i] = gtid.Number;
                return;
            }
        }
        if (_sources is null || _sourceCount == _sources.Length)
        {
            Array.Resize(ref _sources, Math.Max(1, _sourceCount * 2));
            Array.Resize(ref _numbers, _sources.Length);
        }
        _sources[_sourceCount] = gtid.Source;
        _numbers![_sourceCount] = gtid.Number;
        _sourceCount++;
    }

    /// <summary>True if <paramref name="server"/> has applied every write recorded here (by the monitor's last look, or because it made them).</summary>
    public bool IsAppliedBy(BackendServer server)
    {
        if (ReferenceEquals(server, WrittenOn))
            return true;
        if (_count > 0)
        {
            var position = server.AppliedGtids;
            if (position is null)
                return false;
            for (var i = 0; i < _count; i++)
            {
                if (!position.Covers(_domains[i], _sequences[i]))
                    return false;
            }
        }
        if (_sourceCount > 0)
        {
            var executed = server.AppliedMySqlGtids;
            if (executed is null)
                return false;
            for (var i = 0; i < _sourceCount; i++)
            {
                if (!executed.Contains(new MySqlGtid(_sources![i], _numbers![i])))
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// How many of the recorded transactions <paramref name="server"/> is known to lack (0 when it has them all;
    /// a domain it never reported counts as all of them): the server to wait on is the one least behind.
    /// </summary>
    public ulong Behind(BackendServer server)
    {
        if (ReferenceEquals(server, WrittenOn))
            return 0;
        var position = server.AppliedGtids;
        ulong behind = 0;
        for (var i = 0; i < _count; i++)
        {
            var have = position?.SequenceOf(_domains[i]) ?? 0;
            if (have < _sequences[i])
                behind += _sequences[i] - have;
        }
        // MySQL sets have no "how far": a missing GTID counts as one.
        var executed = server.AppliedMySqlGtids;
        for (var i = 0; i < _sourceCount; i++)
        {
            if (executed is null || !executed.Contains(new MySqlGtid(_sources![i], _numbers![i])))
                behind++;
        }
        return behind;
    }

    /// <summary>
    /// The GTID list for <c>MASTER_GTID_WAIT</c> (<c>d-s-n,…</c>), or with MySQL writes the GTID set for
    /// <c>WAIT_FOR_EXECUTED_GTID_SET</c> (<c>uuid:n,…</c>). Allocates: only on the path that waits.
    /// </summary>
    public string ToWaitPosition()
    {
        var text = new StringBuilder();
        if (_sourceCount > 0)
        {
            for (var i = 0; i < _sourceCount; i++)
            {
                if (i > 0)
                    text.Append(',');
                text.Append(new MySqlGtid(_sources![i], _numbers![i]).ToString());
            }
            return text.ToString();
        }
        for (var i = 0; i < _count; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append(new MariaDbGtid(_domains[i], _servers[i], _sequences[i]).ToString());
        }
        return text.ToString();
    }

    /// <summary>
    /// The writes a read annotated with <c>/* min_gtid=… */</c> must see: <paramref name="own"/> (the session's, when
    /// the read must see them) and each GTID of <paramref name="minGtid"/> (<c>d-s-n[,d-s-n…]</c>), the higher
    /// sequence per domain. Null if <paramref name="minGtid"/> is not a GTID list. Only the annotated read allocates
    /// this. No server counts as having them because it made the session's writes: the annotation's may come from
    /// elsewhere.
    /// </summary>
    /// <param name="fallbackHostgroup">Where the read goes if no server has them in time, when the session has no writes of its own to see.</param>
    public static SessionWrites? Requiring(SessionWrites? own, ReadOnlySpan<char> minGtid, int fallbackHostgroup)
    {
        var required = new SessionWrites { Hostgroup = own?.Hostgroup ?? fallbackHostgroup };
        if (own is not null)
        {
            for (var i = 0; i < own._count; i++)
                required.Require(new MariaDbGtid(own._domains[i], own._servers[i], own._sequences[i]));
        }
        return ReadGtidList(minGtid, required) ? required : null;
    }

    /// <summary>True if <paramref name="text"/> is a comma-separated list of at least one MariaDB GTID. Allocates nothing.</summary>
    public static bool IsGtidList(ReadOnlySpan<char> text) => ReadGtidList(text, into: null);

    /// <summary>
    /// Reads <paramref name="text"/> as <c>d-s-n[,d-s-n…]</c>, requiring each GTID in <paramref name="into"/> if given;
    /// false if a part is not a GTID or there is none.
    /// </summary>
    private static bool ReadGtidList(ReadOnlySpan<char> text, SessionWrites? into)
    {
        var any = false;
        foreach (var range in text.Split(','))
        {
            var part = text[range].Trim();
            if (part.IsEmpty)
                continue;
            if (!MariaDbGtid.TryParse(part, out var gtid))
                return false;
            into?.Require(gtid);
            any = true;
        }
        return any;
    }

    /// <summary>Adds <paramref name="gtid"/> as a transaction to see, unless a later one of its domain is already required.</summary>
    private void Require(MariaDbGtid gtid) => Put(gtid, onlyIfLater: true);

    /// <summary>Sets the transaction to see in <paramref name="gtid"/>'s domain (only to a later one if <paramref name="onlyIfLater"/>).</summary>
    private void Put(MariaDbGtid gtid, bool onlyIfLater)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_domains[i] == gtid.Domain)
            {
                if (!onlyIfLater || gtid.Sequence > _sequences[i])
                {
                    _servers[i] = gtid.ServerId;
                    _sequences[i] = gtid.Sequence;
                }
                return;
            }
        }
        if (_count == _domains.Length)
        {
            Array.Resize(ref _domains, _count * 2);
            Array.Resize(ref _servers, _count * 2);
            Array.Resize(ref _sequences, _count * 2);
        }
        _domains[_count] = gtid.Domain;
        _servers[_count] = gtid.ServerId;
        _sequences[_count] = gtid.Sequence;
        _count++;
    }

    public void Clear()
    {
        _count = 0;
        _sourceCount = 0;
        WrittenOn = null;
    }
}
