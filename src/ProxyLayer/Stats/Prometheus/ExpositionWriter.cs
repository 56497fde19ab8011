using System.Globalization;
using System.Text;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// Writes metric families in the Prometheus text format (0.0.4) or OpenMetrics 1.0.0: <c># HELP</c>, <c># TYPE</c>,
/// then the family's samples, which must follow their family line. Runs only at scrape time, so it allocates freely.
/// </summary>
/// <remarks>
/// The two formats differ where ProxySQL's names meet OpenMetrics' rules: there a counter's family name has no
/// <c>_total</c> and every counter sample must end in <c>_total</c>, so a ProxySQL counter named without it
/// (<c>proxysql_client_host_error_killed_connections</c>), or one whose family name another family has, is declared
/// <c>unknown</c>; and the text ends in <c># EOF</c>.
/// </remarks>
internal sealed class ExpositionWriter(ExpositionFormat format)
{
    private const string TotalSuffix = "_total";
    private readonly StringBuilder _text = new(32 * 1024);
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _family;

    public ExpositionFormat Format => format;

    /// <summary>Starts a family; <paramref name="name"/> is the name samples use (a counter's with <c>_total</c>).</summary>
    public ExpositionWriter Family(string name, MetricType type, string help)
    {
        if (!_families.Add(name))
            throw new InvalidOperationException($"metric family {name} written twice");
        _family = name;
        var declared = name;
        var typeName = type.ToString().ToLowerInvariant();
        if (format == ExpositionFormat.OpenMetrics && type == MetricType.Counter)
        {
            // ProxySQL has both a gauge proxysql_connpool_conns and a counter proxysql_connpool_conns_total: the
            // counter's OpenMetrics family name would clash, so it goes out untyped under its full name.
            if (name.EndsWith(TotalSuffix, StringComparison.Ordinal) && !_families.Contains(name[..^TotalSuffix.Length]))
                declared = name[..^TotalSuffix.Length];
            else
                typeName = "unknown";
        }
        _text.Append("# HELP ").Append(declared).Append(' ');
        AppendEscaped(help, quotes: format == ExpositionFormat.OpenMetrics);
        _text.Append('\n');
        _text.Append("# TYPE ").Append(declared).Append(' ').Append(typeName).Append('\n');
        return this;
    }

    /// <summary>A sample of the current family without labels.</summary>
    public ExpositionWriter Sample(double value) => Sample(CurrentFamily, [], value);

    /// <summary>A sample of the current family.</summary>
    public ExpositionWriter Sample(ReadOnlySpan<(string Name, string Value)> labels, double value) => Sample(CurrentFamily, labels, value);

    /// <summary>A sample named <paramref name="name"/> (a histogram's <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    public ExpositionWriter Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                    _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"");
                AppendEscaped(labels[i].Value, quotes: true);
                _text.Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(FormatValue(value)).Append('\n');
        return this;
    }

    /// <summary>The finished text (OpenMetrics' <c># EOF</c> appended).</summary>
    public string Finish()
    {
        if (format == ExpositionFormat.OpenMetrics)
            _text.Append("# EOF\n");
        return _text.ToString();
    }

    private string CurrentFamily => _family ?? throw new InvalidOperationException("a sample before any family");

    internal static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    // Help text escapes \ and newline; label values (and OpenMetrics help) also escape the double quote.
    private void AppendEscaped(string text, bool quotes)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '"' when quotes: _text.Append("\\\""); break;
                default: _text.Append(c); break;
            }
        }
    }
}
