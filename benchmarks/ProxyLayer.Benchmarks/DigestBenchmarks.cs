using BenchmarkDotNet.Attributes;
using ProxyLayer.Routing;

namespace ProxyLayer.Benchmarks;

/// <summary>Digest cost per statement: text into a reused buffer (0 bytes expected), the text as a string, the hash.</summary>
[MemoryDiagnoser]
public class DigestBenchmarks
{
    private const string PointSelect = "SELECT c, pad FROM sbtest1 WHERE id = 4711";

    private static readonly string InsertTwentyValues =
        "INSERT INTO sbtest1 (id, k, c, pad) VALUES " +
        string.Join(", ", Enumerable.Range(1, 20).Select(i => $"({i}, {i * 7}, 'c-{i}', 'pad-{i}')"));

    private readonly char[] _buffer = new char[QueryDigest.GetBufferLength(InsertTwentyValues.Length)];
    private readonly string _pointSelectDigest = QueryDigest.ComputeText(PointSelect);

    [Benchmark]
    public int PointSelectNormalizeIntoBuffer() => QueryDigest.Normalize(PointSelect, _buffer, QueryDigestOptions.Default);

    [Benchmark]
    public QueryDigestResult PointSelectCompute() => QueryDigest.Compute(PointSelect);

    [Benchmark]
    public ulong PointSelectHashOnly() => QueryDigest.ComputeHash(_pointSelectDigest);

    [Benchmark]
    public int Insert20ValuesNormalizeIntoBuffer() =>
        QueryDigest.Normalize(InsertTwentyValues, _buffer, QueryDigestOptions.Default);

    [Benchmark]
    public QueryDigestResult Insert20ValuesCompute() => QueryDigest.Compute(InsertTwentyValues);
}
