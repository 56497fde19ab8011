namespace ProxyLayer.Stats.Prometheus;

/// <summary>The two text formats a scraper may ask for, and how the answer is labelled.</summary>
internal enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4: what ProxySQL serves, and the default.</summary>
    Text,
    /// <summary>OpenMetrics 1.0.0, for a scraper whose Accept header asks for it.</summary>
    OpenMetrics,
}

internal static class ExpositionFormats
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>OpenMetrics only when the scraper asks for it (Prometheus does, first, in its Accept header).</summary>
    public static ExpositionFormat FromAccept(string? accept) =>
        accept is not null && accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase)
            ? ExpositionFormat.OpenMetrics
            : ExpositionFormat.Text;

    public static string ContentType(ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetrics ? OpenMetricsContentType : TextContentType;
}
