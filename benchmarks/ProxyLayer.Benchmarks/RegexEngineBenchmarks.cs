using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;

namespace ProxyLayer.Benchmarks;

/// <summary>
/// One rule's regex test with each .NET engine, as <c>QueryRuleCompiler</c> builds them (case-insensitive, culture
/// invariant): the seed rules, a digest rule, a long alternation of table names, and a pattern that backtracks
/// catastrophically. Chooses between <see cref="RegexOptions.Compiled"/> and <see cref="RegexOptions.NonBacktracking"/>.
/// </summary>
[MemoryDiagnoser]
public class RegexEngineBenchmarks
{
    private const string PointSelect = "SELECT c, pad FROM sbtest1 WHERE id = 4711";
    private static readonly string LongInsert = "INSERT INTO sbtest1 (k, c, pad) VALUES " +
        string.Join(", ", Enumerable.Range(0, 40).Select(i => $"({i}, '{new string('c', 40)}', '{new string('p', 20)}')"));
    private static readonly string Alternation = "^SELECT .* FROM (" + string.Join("|", Enumerable.Range(0, 200).Select(i => $"table_{i}")) + ")\\b";

    private Regex _regex = null!;
    private string _input = "";

    [Params("Compiled", "NonBacktracking")]
    public string Engine { get; set; } = "";

    [Params("seed-for-update", "seed-select", "digest", "alternation-200", "nested-quantifier")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var (pattern, input) = Case switch
        {
            "seed-for-update" => ("^SELECT.*FOR UPDATE$", PointSelect),
            "seed-select" => ("^SELECT", PointSelect),
            "digest" => (@"^SELECT c,\s*pad FROM sbtest\d+ WHERE id = \?", "SELECT c, pad FROM sbtest1 WHERE id = ?"),
            "alternation-200" => (Alternation, LongInsert),
            _ => ("^(\\w+\\s?)+$", new string('a', 28) + "!"),
        };
        var engine = Engine == "Compiled" ? RegexOptions.Compiled : RegexOptions.NonBacktracking;
        _regex = new Regex(pattern, engine | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        _input = input;
    }

    [Benchmark]
    public bool IsMatch()
    {
        try
        {
            return _regex.IsMatch(_input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
