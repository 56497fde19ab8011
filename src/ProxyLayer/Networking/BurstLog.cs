namespace ProxyLayer.Networking;

/// <summary>
/// Logs an event that can come in floods (thousands of refused connections a second) at most once per
/// <see cref="Window"/>: the first occurrence at once, later ones as a count on the next line written.
/// </summary>
internal sealed class BurstLog(TimeProvider time, Action<string, long> write)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _lastWritten = long.MinValue;
    private long _suppressed;

    /// <summary>The tail of a line that stands for <paramref name="suppressed"/> earlier events too.</summary>
    public static string More(long suppressed) =>
        suppressed == 0 ? "" : $" (and {suppressed} more like it since the previous line)";

    /// <summary>Writes <paramref name="message"/> with the count of events left unlogged since the last line, or counts it.</summary>
    public void Record(string message)
    {
        long suppressed;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_lastWritten != long.MinValue && time.GetElapsedTime(_lastWritten, now) < Window)
            {
                _suppressed++;
                return;
            }
            _lastWritten = now;
            suppressed = _suppressed;
            _suppressed = 0;
        }
        write(message, suppressed);
    }
}
