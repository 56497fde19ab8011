using ProxyLayer.Stats.Prometheus;

namespace ProxyLayer.Tests.Stats.Prometheus;

public sealed class ExpositionWriterTests
{
    [Fact]
    public void Text_format_escapes_label_values_and_help_and_keeps_ProxySQLs_counter_names()
    {
        var text = new ExpositionWriter(ExpositionFormat.Text)
            .Family("proxysql_connpool_conns_total", MetricType.Counter, "How many \"tried\" \\ here\nand there.")
            .Sample([("endpoint", "db\"1\":3306\\x\n"), ("status", "ok")], 3)
            .Finish();

        Assert.Equal(
            "# HELP proxysql_connpool_conns_total How many \"tried\" \\\\ here\\nand there.\n" +
            "# TYPE proxysql_connpool_conns_total counter\n" +
            "proxysql_connpool_conns_total{endpoint=\"db\\\"1\\\":3306\\\\x\\n\",status=\"ok\"} 3\n", text);
    }

    [Fact]
    public void OpenMetrics_names_counter_families_without_total_types_clashing_ones_unknown_and_ends_with_eof()
    {
        var text = new ExpositionWriter(ExpositionFormat.OpenMetrics)
            .Family("proxysql_questions_total", MetricType.Counter, "Questions.").Sample(1)
            .Family("proxysql_connpool_conns", MetricType.Gauge, "Conns.").Sample(2)
            .Family("proxysql_connpool_conns_total", MetricType.Counter, "Tried.").Sample(3)
            .Family("proxysql_client_host_error_killed_connections", MetricType.Counter, "Killed \"x\".").Sample(4)
            .Finish();

        Assert.Contains("# TYPE proxysql_questions counter\nproxysql_questions_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE proxysql_connpool_conns_total unknown\nproxysql_connpool_conns_total 3\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP proxysql_client_host_error_killed_connections Killed \\\"x\\\".\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE proxysql_client_host_error_killed_connections unknown\n", text, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(12345678901.0, "12345678901")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_are_written_as_Prometheus_reads_them(double value, string expected) =>
        Assert.Equal(expected, ExpositionWriter.FormatValue(value));

    [Fact]
    public void A_family_written_twice_is_a_bug_caught_at_once()
    {
        var writer = new ExpositionWriter(ExpositionFormat.Text).Family("a", MetricType.Gauge, "a");
        Assert.Throws<InvalidOperationException>(() => writer.Family("a", MetricType.Gauge, "a"));
    }

    [Fact]
    public void The_ProxySQL_catalogue_names_each_family_once_with_ProxySQLs_suffix_rules()
    {
        var names = GlobalMetrics.All.Select(m => m.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(GlobalMetrics.All, m => Assert.True(m.Label is null == (m.Samples is [("", _)]), $"{m.Name}: label and samples disagree"));
    }
}
