using System.Buffers;
using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Benchmarks;

/// <summary>
/// The compressed protocol on a 16 KB frame of result-set rows (MariaDB sends frames of its 16 KB net buffer):
/// compressing and inflating with the reset-per-frame native zlib streams, against a new
/// <see cref="ZLibStream"/> per frame, the managed alternative. Budget for the native cases: 0 bytes.
/// </summary>
[MemoryDiagnoser]
public class CompressedFramerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(32 * 1024);
    private readonly MemoryStream _managed = new(32 * 1024);
    private byte[] _inflated = [];
    private ReadOnlySequence<byte> _rows;
    private byte[] _frameBytes = [];
    private ReadOnlySequence<byte> _frame;

    /// <summary>A short command (a point SELECT with its text) and a full 16 KB frame of rows.</summary>
    [Params(200, 16 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inflated = new byte[Size];
        var text = new StringBuilder();
        for (var i = 0; text.Length < Size; i++)
            text.Append($"\u0030{i}\u0010name-{i:D6}\u000512.25\u0013 2024-02-29 23:59:{i % 60:D2}");
        _rows = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text.ToString(0, Size)));
        CompressedPacketFramer.WriteFrame(_output, _rows, 1);
        _frameBytes = _output.WrittenMemory.ToArray();
        _frame = new ReadOnlySequence<byte>(_frameBytes);
        if (Inflate() != Size || InflateWithZLibStream() != Size)
            throw new InvalidOperationException("the frame did not inflate back whole");
    }

    [Benchmark(Baseline = true)]
    public int CompressWithZLibStream()
    {
        _managed.SetLength(0);
        using (var zlib = new ZLibStream(_managed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(_rows.FirstSpan);
        return (int)_managed.Length;
    }

    [Benchmark]
    public int Compress()
    {
        _output.ResetWrittenCount();
        CompressedPacketFramer.WriteFrame(_output, _rows, 1);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int InflateWithZLibStream()
    {
        var payload = new MemoryStream(_frameBytes, CompressedPacketHeader.Size, _frameBytes.Length - CompressedPacketHeader.Size);
        using var zlib = new ZLibStream(payload, CompressionMode.Decompress);
        zlib.ReadExactly(_inflated);
        return _inflated.Length;
    }

    [Benchmark]
    public int Inflate()
    {
        var buffer = _frame;
        CompressedPacketFramer.TryReadFrame(ref buffer, out var frame);
        CompressedPacketFramer.Decode(frame, _inflated);
        return frame.Length;
    }
}
