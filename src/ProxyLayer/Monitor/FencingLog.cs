namespace ProxyLayer.Monitor;

/// <summary>A server said read_only=0 while <see cref="Writer"/> was already the live writer of the hostgroup.</summary>
internal sealed record FencingEvent(DateTimeOffset At, int WriterHostgroup, ServerAddress Writer, ServerAddress Refused);

/// <summary>Every fencing refusal counted, the most recent kept for admin and stats.</summary>
internal sealed class FencingLog(int keepRecent = 100)
{
    private readonly Lock _gate = new();
    private readonly Queue<FencingEvent> _recent = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<FencingEvent> Recent
    {
        get
        {
            lock (_gate)
                return [.. _recent];
        }
    }

    public void Add(FencingEvent fencingEvent)
    {
        Interlocked.Increment(ref _count);
        lock (_gate)
        {
            _recent.Enqueue(fencingEvent);
            while (_recent.Count > keepRecent)
                _recent.Dequeue();
        }
    }
}
