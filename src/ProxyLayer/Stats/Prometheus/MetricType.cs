namespace ProxyLayer.Stats.Prometheus;

/// <summary>The metric types of the Prometheus exposition formats, written lower-case on <c># TYPE</c> lines.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
    Summary,
}
