using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Gtid;
using ProxyLayer.Sessions;

namespace ProxyLayer.Benchmarks;

/// <summary>
/// What read-your-writes adds to a statement, in the seed's reader hostgroup of three servers: the choice of a server
/// for a read of a session that wrote (with the writer fallback: "does any server have the writes", the weighted
/// pick among those that do, the check of the connection's server), against the plain weighted pick every read
/// makes; and what a commit adds (taking the GTID from the OK's session-state record and recording it). Compare
/// the nanoseconds with a statement's 70-150 µs of proxy CPU (benchmarks/PROFILE.md).
/// </summary>
[MemoryDiagnoser]
public class ReadYourWritesBenchmarks
{
    private readonly MySqlVariables _settings = MySqlVariables.Parse(new Dictionary<string, string>()).Value!;
    private HostgroupSnapshot _readers = null!;
    private SessionWrites _writes = null!;
    private byte[] _sessionState = [];

    [GlobalSetup]
    public void Setup()
    {
        var servers = new[] { new BackendServer("10.0.0.1", 3306), new BackendServer("10.0.0.2", 3306), new BackendServer("10.0.0.3", 3306) };
        // All three have applied the session's write: the read is "caught up", the case of replicas that keep up.
        foreach (var server in servers)
            server.OnGtidPositionRead("0-1-1000");
        _readers = new HostgroupSnapshot(20, [.. servers.Select(s => new HostgroupMember(s, new ServerConfig
        {
            HostgroupId = 20, Hostname = s.Hostname, Port = s.Port,
        }))]);
        _writes = new SessionWrites();
        _writes.Record(new MariaDbGtid(0, 1, 999), hostgroup: 10, new BackendServer("10.0.0.9", 3306));

        using var record = new Protocol.Serialization.PayloadWriter();
        record.WriteLengthEncodedString("last_gtid").WriteLengthEncodedString("0-1-1234567");
        using var records = new Protocol.Serialization.PayloadWriter();
        records.WriteByte(0).WriteLengthEncodedBytes(record.Payload);
        _sessionState = records.Payload.ToArray();
        if (!SessionStateChanges.TryFindLastGtid(_sessionState, out var gtid) || gtid.Sequence != 1234567)
            throw new InvalidOperationException("the session-state record was not read");
    }

    /// <summary>What every read pays to choose a server, feature on or off.</summary>
    [Benchmark(Baseline = true)]
    public bool PickServer() => BackendConnectionProvider.PickServer(_readers, _settings, Environment.TickCount64) is not null;

    /// <summary>A read of a session that wrote, with fallback=writer: the three questions it asks.</summary>
    [Benchmark]
    public bool ReadOfASessionThatWrote()
    {
        if (!BackendConnectionProvider.AnyServerWith(_readers, _writes))
            return false;
        var member = BackendConnectionProvider.PickServerWith(_readers, _writes);
        return member is not null && _writes.IsAppliedBy(member.Server);
    }

    /// <summary>A commit: its GTID out of the OK's session-state record, into the session's per-domain record.</summary>
    [Benchmark]
    public ulong CommitRecorded()
    {
        SessionStateChanges.TryFindLastGtid(_sessionState, out var gtid);
        _writes.Record(gtid, hostgroup: 10, _readers.Members[0].Server);
        return gtid.Sequence;
    }
}
