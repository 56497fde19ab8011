using System.Diagnostics;
using System.Text;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// The text of <c>GET /metrics</c> and <c>SHOW PROMETHEUS METRICS</c>: ProxySQL's families (same names, types, help
/// texts and labels), then ProxyLayer's own. Everything is read from counters the statement path already keeps;
/// building the text is the scrape's cost alone.
/// </summary>
internal sealed class MetricsReport(Func<MetricsInputs> inputs)
{
    public string Render(ExpositionFormat format)
    {
        var started = Stopwatch.GetTimestamp();
        var current = inputs();
        var globals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in current.Globals)
            globals[name] = value;
        if (globals.TryGetValue("Query_Cache_count_GET", out var gets) && globals.TryGetValue("Query_Cache_count_GET_OK", out var hits))
            globals[GlobalMetrics.QueryCacheMisses] = gets - hits;

        var writer = new ExpositionWriter(format);
        WriteExposer(writer, current.Scrapes);
        foreach (var metric in GlobalMetrics.All)
            WriteGlobal(writer, metric, globals);
        ConnectionPoolMetrics.Write(writer, current.Snapshot);
        SettingsMetrics.Write(writer, current.Snapshot);
        writer.Family("proxysql_fds_in_use", MetricType.Gauge, "The number of file descriptors currently in use by ProxySQL.")
            .Sample(OpenFileDescriptors());
        writer.Family("proxysql_sqlite3_memory_bytes", MetricType.Gauge, "Memory used by SQLite.")
            .Sample(MemoryStats.SqliteMemoryBytes());
        ProxyLayerMetrics.Write(writer, current, globals);
        var text = writer.Finish();
        current.Scrapes.OnScrape(Encoding.UTF8.GetByteCount(text), (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        return text;
    }

    private static void WriteExposer(ExpositionWriter writer, ScrapeCounters scrapes)
    {
        writer.Family("exposer_transferred_bytes_total", MetricType.Counter, "Transferred bytes to metrics services").Sample(scrapes.Bytes);
        writer.Family("exposer_scrapes_total", MetricType.Counter, "Number of times metrics were scraped").Sample(scrapes.Scrapes);
        writer.Family("exposer_request_latencies", MetricType.Summary, "Latencies of serving scrape requests, in microseconds")
            .Sample("exposer_request_latencies_count", [], scrapes.Scrapes)
            .Sample("exposer_request_latencies_sum", [], scrapes.Microseconds);
    }

    /// <summary>A family whose variables are all known; one that ProxyLayer lacks is left out, not shown as 0.</summary>
    private static void WriteGlobal(ExpositionWriter writer, GlobalMetric metric, Dictionary<string, long> globals)
    {
        if (!metric.Samples.All(s => globals.ContainsKey(s.Variable)))
            return;
        writer.Family(metric.Name, metric.Type, metric.Help);
        foreach (var (labelValue, variable) in metric.Samples)
        {
            var value = globals[variable] * metric.Scale;
            if (metric.Label is null)
                writer.Sample(value);
            else
                writer.Sample([(metric.Label, labelValue)], value);
        }
    }

    private static int OpenFileDescriptors()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
