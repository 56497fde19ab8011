using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Benchmarks;

/// <summary>
/// Framing on the statement path: taking a COM_QUERY off the client's input (whole, and with the header split from
/// the body as a socket read can leave it), and writing an OK packet. Every case reuses its buffers: 0 bytes expected.
/// </summary>
[MemoryDiagnoser]
public class PacketFramerBenchmarks
{
    private const string PointSelect = "SELECT c FROM sbtest1 WHERE id=4711";
    private const CapabilityFlags Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.Transactions |
        CapabilityFlags.SessionTrack | CapabilityFlags.DeprecateEof;

    private readonly PayloadWriter _payload = new();
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private ReadOnlySequence<byte> _query;
    private ReadOnlySequence<byte> _querySplit;

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[1 + PointSelect.Length];
        payload[0] = (byte)CommandKind.Query;
        Encoding.ASCII.GetBytes(PointSelect, payload.AsSpan(1));
        var packet = new byte[PacketHeader.Size + payload.Length];
        PacketHeader.Write(packet, payload.Length, 0);
        payload.CopyTo(packet, PacketHeader.Size);

        _query = new ReadOnlySequence<byte>(packet);
        _querySplit = BufferSegment.Split(packet, PacketHeader.Size + 1);
        if (ReadQuery() != payload.Length || ReadQuerySplit() != payload.Length)
            throw new InvalidOperationException("the COM_QUERY packet was not read back whole");
    }

    [GlobalCleanup]
    public void Cleanup() => _payload.Dispose();

    [Benchmark]
    public int ReadQuery() => Read(_query);

    [Benchmark]
    public int ReadQuerySplit() => Read(_querySplit);

    [Benchmark]
    public int WriteOk()
    {
        _payload.Clear();
        _output.ResetWrittenCount();
        OkPacket.Write(_payload, affectedRows: 1, lastInsertId: 0, ServerStatusFlags.Autocommit, warnings: 0, Capabilities);
        PacketFramer.WritePackets(_output, _payload.Payload, sequenceId: 1);
        return _output.WrittenCount;
    }

    private int Read(ReadOnlySequence<byte> input)
    {
        _payload.Clear();
        return PacketFramer.TryReadPayload(ref input, _payload, maxPayloadLength: 1 << 24, out _) ? _payload.Length : -1;
    }
}
