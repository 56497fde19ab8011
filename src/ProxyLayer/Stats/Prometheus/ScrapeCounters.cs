namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// What serving the metrics cost, as ProxySQL's <c>exposer_*</c> families report it: scrapes, bytes sent, and the
/// time spent building the text (microseconds). Written once per scrape.
/// </summary>
internal sealed class ScrapeCounters
{
    private long _scrapes;
    private long _bytes;
    private long _microseconds;

    public long Scrapes => Interlocked.Read(ref _scrapes);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long Microseconds => Interlocked.Read(ref _microseconds);

    public void OnScrape(long bytes, long microseconds)
    {
        Interlocked.Increment(ref _scrapes);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _microseconds, microseconds);
    }
}
