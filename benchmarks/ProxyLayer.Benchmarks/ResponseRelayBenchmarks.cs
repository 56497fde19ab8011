using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;
using ProxyLayer.Sessions;

namespace ProxyLayer.Benchmarks;

/// <summary>
/// The session relay copying a backend response to the client, between two in-memory pipes: a 100-row result set
/// shaped like sysbench's <c>SELECT c, pad</c> (two CHAR columns, about 18 KB), and a bare OK. Each invocation writes
/// the response into the backend pipe, relays it and drains the client pipe, so both pipes are empty again when it
/// returns and the next invocation reuses their pooled segments: this is the steady state of a session, where the
/// budget is 0 bytes allocated per relay.
/// </summary>
[MemoryDiagnoser]
public class ResponseRelayBenchmarks
{
    private const int Rows = 100;
    private const CapabilityFlags BaseCapabilities = CapabilityFlags.Protocol41 | CapabilityFlags.Transactions |
        CapabilityFlags.SecureConnection | CapabilityFlags.MultiResults | CapabilityFlags.PsMultiResults |
        CapabilityFlags.PluginAuth | CapabilityFlags.SessionTrack;

    // Inline schedulers and a pause threshold above the response size: every await completes synchronously, as it
    // does in a session whose peers keep up, so the benchmark measures the relay and not thread hops.
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly Pipe _backend = new(Options);
    private readonly Pipe _client = new(Options);
    private readonly ResponseRelay _relay = new();
    private CapabilityFlags _capabilities;
    private byte[] _resultSet = [];
    private byte[] _ok = [];
    private byte[] _commitOk = [];

    /// <summary>With CLIENT_DEPRECATE_EOF the result set ends with an OK (0xFE) packet, without it with EOF packets.</summary>
    [Params(false, true)]
    public bool DeprecateEof { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _capabilities = DeprecateEof ? BaseCapabilities | CapabilityFlags.DeprecateEof : BaseCapabilities;
        _resultSet = BuildResultSet(_capabilities);
        _ok = BuildOk(_capabilities);
        _commitOk = BuildCommitOkWithLastGtid();

        var relayed = Relay(_resultSet, ResponseKind.ResultSets, out var rows);
        if (relayed != _resultSet.Length || rows != Rows)
            throw new InvalidOperationException($"relayed {relayed} of {_resultSet.Length} bytes and {rows} of {Rows} rows");
        if (Relay(_ok, ResponseKind.ResultSets, out _) != _ok.Length)
            throw new InvalidOperationException("the OK packet was not relayed whole");
        if (Relay(_commitOk, ResponseKind.ResultSets, out _) != _commitOk.Length)
            throw new InvalidOperationException("the commit's OK packet was not relayed whole");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _backend.Writer.Complete();
        _backend.Reader.Complete();
        _client.Writer.Complete();
        _client.Reader.Complete();
    }

    [Benchmark]
    public long RelayResultSet100Rows() => Relay(_resultSet, ResponseKind.ResultSets, out _);

    [Benchmark]
    public long RelayOk() => Relay(_ok, ResponseKind.ResultSets, out _);

    /// <summary>
    /// The OK of a commit with read-your-writes in use: MariaDB adds a session-state record with <c>last_gtid</c>,
    /// which the relay parses (against <see cref="RelayOk"/>: what each committed write costs the proxy).
    /// </summary>
    [Benchmark]
    public long RelayCommitOkWithLastGtid()
    {
        var length = Relay(_commitOk, ResponseKind.ResultSets, out _, out var outcome);
        if (!outcome.HasGtid)
            throw new InvalidOperationException("the GTID was not read");
        return length;
    }

    /// <summary>Relays one response; returns the bytes that reached the client pipe.</summary>
    private long Relay(byte[] response, ResponseKind kind, out long rows) => Relay(response, kind, out rows, out _);

    private long Relay(byte[] response, ResponseKind kind, out long rows, out RelayOutcome outcome)
    {
        _backend.Writer.Write(response);
        var flush = _backend.Writer.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
            throw new InvalidOperationException("the backend pipe did not take the response at once");

        var pending = _relay.RelayAsync(_backend.Reader, _client.Writer, kind, _capabilities, CancellationToken.None);
        // Anything but a synchronous completion allocates (a Task), which shows up in the Allocated column.
        outcome = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (outcome.End != RelayEnd.Completed)
            throw new InvalidOperationException($"relay ended with {outcome.End}");
        rows = outcome.RowsSent;

        if (!_client.Reader.TryRead(out var result))
            throw new InvalidOperationException("nothing reached the client pipe");
        var length = result.Buffer.Length;
        _client.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }

    /// <summary>Column count, two column definitions, [EOF], 100 rows of CHAR(120) and CHAR(60) text, then EOF or OK.</summary>
    private static byte[] BuildResultSet(CapabilityFlags capabilities)
    {
        var output = new ArrayBufferWriter<byte>(32 * 1024);
        using var payload = new PayloadWriter();
        byte sequenceId = 1;
        void Emit()
        {
            sequenceId = PacketFramer.WritePackets(output, payload.Payload, sequenceId);
            payload.Clear();
        }

        var deprecateEof = (capabilities & CapabilityFlags.DeprecateEof) != 0;
        payload.WriteLengthEncodedInteger(2);
        Emit();
        ColumnDefinitionPacket.Write(payload, "c", ColumnType.String, "testdb", "sbtest1", length: 480);
        Emit();
        ColumnDefinitionPacket.Write(payload, "pad", ColumnType.String, "testdb", "sbtest1", length: 240);
        Emit();
        if (!deprecateEof)
        {
            EofPacket.Write(payload, ServerStatusFlags.Autocommit);
            Emit();
        }
        for (var row = 0; row < Rows; row++)
        {
            payload.WriteLengthEncodedString(Digits(row, 119)).WriteLengthEncodedString(Digits(row, 59));
            Emit();
        }
        if (deprecateEof)
            OkPacket.Write(payload, 0, 0, ServerStatusFlags.Autocommit, 0, capabilities, signature: OkPacket.EofSignature);
        else
            EofPacket.Write(payload, ServerStatusFlags.Autocommit);
        Emit();
        return output.WrittenSpan.ToArray();
    }

    private static byte[] BuildOk(CapabilityFlags capabilities)
    {
        var output = new ArrayBufferWriter<byte>(64);
        using var payload = new PayloadWriter();
        OkPacket.Write(payload, affectedRows: 1, lastInsertId: 0, ServerStatusFlags.Autocommit, warnings: 0, capabilities);
        PacketFramer.WritePackets(output, payload.Payload, sequenceId: 1);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// An OK as MariaDB sends it for a commit with <c>session_track_system_variables</c> including <c>last_gtid</c>:
    /// SERVER_SESSION_STATE_CHANGED and one SESSION_TRACK_SYSTEM_VARIABLES record (name and value, length-encoded).
    /// </summary>
    private static byte[] BuildCommitOkWithLastGtid()
    {
        using var record = new PayloadWriter();
        record.WriteLengthEncodedString("last_gtid").WriteLengthEncodedString("0-1-1234567");
        using var records = new PayloadWriter();
        records.WriteByte(0).WriteLengthEncodedBytes(record.Payload);
        using var payload = new PayloadWriter();
        payload.WriteByte(OkPacket.Signature).WriteLengthEncodedInteger(1).WriteLengthEncodedInteger(0)
            .WriteUInt16((ushort)(ServerStatusFlags.Autocommit | ServerStatusFlags.SessionStateChanged)).WriteUInt16(0)
            .WriteLengthEncodedInteger(0) // info: empty
            .WriteLengthEncodedBytes(records.Payload);
        var output = new ArrayBufferWriter<byte>(64);
        PacketFramer.WritePackets(output, payload.Payload, sequenceId: 1);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>sysbench-like filler: groups of digits separated by dashes.</summary>
    private static string Digits(int seed, int length) =>
        string.Create(length, seed, static (span, seed) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = i % 12 == 11 ? '-' : (char)('0' + ((seed * 7 + i * 3) % 10));
        });
}
