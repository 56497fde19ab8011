using System.Text;

namespace ProxyLayer.Scheduler;

/// <summary>
/// The first <see cref="Limit"/> bytes a program wrote to one stream, and how many it wrote in all. The rest is read
/// and dropped: a pipe nobody drains would block the program once its buffer (64 KiB on Linux) is full.
/// </summary>
internal sealed class BoundedOutput
{
    /// <summary>4 KiB per stream: a checker's message or a stack trace's top fits; a chatty program cannot flood the log.</summary>
    public const int Limit = 4096;

    private readonly byte[] _kept = new byte[Limit];
    private int _keptLength;

    public long TotalBytes { get; private set; }

    /// <summary>Reads <paramref name="stream"/> to its end (or until it is closed under the read).</summary>
    public async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                Append(buffer.AsSpan(0, read));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The run is over and the pipe was closed under a child that keeps it open: what was read is the output.
        }
    }

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        TotalBytes += bytes.Length;
        var room = Limit - _keptLength;
        if (room <= 0)
            return;
        var taken = bytes[..Math.Min(room, bytes.Length)];
        taken.CopyTo(_kept.AsSpan(_keptLength));
        _keptLength += taken.Length;
    }

    /// <summary>The kept text on one line (line breaks shown as <c>\n</c>), with the size of what was dropped.</summary>
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(_kept, 0, _keptLength).TrimEnd('\n', '\r')
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return TotalBytes > _keptLength ? $"{text}… ({TotalBytes - _keptLength} more bytes dropped)" : text;
    }
}
