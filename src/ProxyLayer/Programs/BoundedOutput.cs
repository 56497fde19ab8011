using System.Text;

namespace ProxyLayer.Programs;

/// <summary>
/// The first <see cref="Limit"/> bytes a program wrote to one stream, and how many it wrote in all. The rest is read
/// and dropped: a pipe nobody drains would block the program once its buffer (64 KiB on Linux) is full.
/// </summary>
internal sealed class BoundedOutput
{
    /// <summary>4 KiB per stream: a checker's message or a stack trace's top fits; a chatty program cannot flood the log.</summary>
    public const int DefaultLimit = 4096;

    /// <summary>Grown as output comes, so a large limit (a REST route's answer) costs nothing for a short one.</summary>
    private byte[] _kept;
    private int _keptLength;

    public BoundedOutput(int limit = DefaultLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        Limit = limit;
        _kept = new byte[Math.Min(limit, DefaultLimit)];
    }

    public int Limit { get; }

    public long TotalBytes { get; private set; }

    /// <summary>True when the program wrote more than <see cref="Limit"/> bytes (the kept bytes are not all of it).</summary>
    public bool Truncated => TotalBytes > _keptLength;

    /// <summary>The kept bytes, valid until the next append.</summary>
    public ReadOnlySpan<byte> Kept => _kept.AsSpan(0, _keptLength);

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
        if (_keptLength + taken.Length > _kept.Length)
            Array.Resize(ref _kept, (int)Math.Min(Limit, Math.Max(2L * _kept.Length, _keptLength + taken.Length)));
        taken.CopyTo(_kept.AsSpan(_keptLength));
        _keptLength += taken.Length;
    }

    /// <summary>The kept bytes as text, as written.</summary>
    public string Text() => Encoding.UTF8.GetString(Kept);

    /// <summary>The kept text on one line (line breaks shown as <c>\n</c>), with the size of what was dropped.</summary>
    public override string ToString()
    {
        var text = Text().TrimEnd('\n', '\r')
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return Truncated ? $"{text}… ({TotalBytes - _keptLength} more bytes dropped)" : text;
    }
}
