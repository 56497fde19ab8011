using System.Globalization;
using System.Net;
using System.Text.Json;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>One metric family as the Prometheus Python client parsed it.</summary>
internal sealed record ParsedFamily(string Type, IReadOnlyList<string> Labels, IReadOnlyList<ParsedSample> Samples);

internal sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>What the parser made of a metrics text, compared with ProxySQL 2.7.2's families (Reference/).</summary>
internal sealed record ParsedMetrics(
    IReadOnlyDictionary<string, ParsedFamily> Families,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> TypeMismatches,
    IReadOnlyList<string> LabelMismatches)
{
    /// <summary>The value of the sample named <paramref name="name"/> whose labels include <paramref name="labels"/>; null if none.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        Families.Values.SelectMany(f => f.Samples)
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
            .Select(s => (double?)s.Value).FirstOrDefault();

    /// <summary>Every sample of every counter family, keyed by sample name and labels, to compare two scrapes.</summary>
    public IReadOnlyDictionary<string, double> CounterSamples() =>
        Families.Values.Where(f => f.Type == "counter").SelectMany(f => f.Samples)
            .GroupBy(s => s.Name + "{" + string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}")
            .ToDictionary(g => g.Key, g => g.First().Value);
}

/// <summary>
/// Scrapes <c>/metrics</c> and has the Prometheus project's own Python parsers (Debian's python3-prometheus-client,
/// installed by scripts/setup.sh) read it: a text they reject fails the test with the parser's message.
/// </summary>
internal static class MetricsCheck
{
    public const string TextFormat = "text";
    public const string OpenMetricsFormat = "openmetrics";
    private const string Python = "/usr/bin/python3";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static string Here(string relative) => Path.Combine(AppContext.BaseDirectory, "Metrics", relative);

    public static string ReferencePath => Here(Path.Combine("Reference", "proxysql-2.7.2-metrics.tsv"));

    public static async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(int port, string path = "/metrics",
        string? accept = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes and parses; OpenMetrics when <paramref name="format"/> says so.</summary>
    public static async Task<ParsedMetrics> ScrapeAsync(int port, string format = TextFormat)
    {
        var (status, _, body) = await GetAsync(port, accept: format == OpenMetricsFormat ? "application/openmetrics-text; version=1.0.0" : null);
        Assert.Equal(HttpStatusCode.OK, status);
        return await ParseAsync(body, format);
    }

    public static async Task<ParsedMetrics> ParseAsync(string text, string format = TextFormat)
    {
        var result = await ProcessRunner.RunAsync(Python, [Here("check_metrics.py"), format, ReferencePath], text, TimeSpan.FromSeconds(30), default);
        Assert.True(result.ExitCode == 0, $"the Prometheus parser ({format}) rejected the metrics: {result.StandardError}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        var families = new Dictionary<string, ParsedFamily>(StringComparer.Ordinal);
        foreach (var family in root.GetProperty("families").EnumerateObject())
        {
            var samples = family.Value.GetProperty("samples").EnumerateArray().Select(s => new ParsedSample(
                s[0].GetString()!,
                s[1].EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
                s[2].ValueKind == JsonValueKind.Number ? s[2].GetDouble() : double.Parse(s[2].GetString()!, CultureInfo.InvariantCulture))).ToList();
            families[family.Name] = new ParsedFamily(family.Value.GetProperty("type").GetString()!,
                [.. family.Value.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)], samples);
        }
        static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
        return new ParsedMetrics(families, Strings(root.GetProperty("missing")), Strings(root.GetProperty("type_mismatches")),
            Strings(root.GetProperty("label_mismatches")));
    }
}
