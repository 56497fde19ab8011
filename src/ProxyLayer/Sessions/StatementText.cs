using System.Text;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// The text of the COM_QUERY a session is handling, decoded from the client's UTF-8 into a pooled buffer instead of a
/// new string per statement: classification, rules, digest and stats read it as characters, and a string is made
/// only where one is kept (a SET to track, the cache, the events log, a mirror) or asked for from another thread (the
/// process list). The buffer goes back to the pool when the statement ends, so an idle session holds none; a big
/// statement's buffer is not pooled (<see cref="PooledBuffers"/>): the shared pool would keep it for good.
/// </summary>
internal sealed class StatementText
{
    private char[]? _chars;
    private int _length;
    private string? _string;
    /// <summary>Odd while the text changes: a reader on another thread copies between two equal even values.</summary>
    private int _version;

    /// <summary>True between <see cref="Decode"/> and <see cref="Release"/>.</summary>
    public bool IsSet => _chars is not null;

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

    public ReadOnlyMemory<char> Memory => _chars.AsMemory(0, _length);

    public void Decode(ReadOnlySpan<byte> utf8)
    {
        Interlocked.Increment(ref _version);
        if (_chars is not null)
            PooledBuffers.Return(_chars);
        _chars = PooledBuffers.RentChars(Math.Max(16, Encoding.UTF8.GetMaxCharCount(utf8.Length)));
        _length = Encoding.UTF8.GetChars(utf8, _chars);
        _string = null;
        Interlocked.Increment(ref _version);
    }

    /// <summary>The text as a string, made once per statement on first use.</summary>
    public override string ToString() => _string ??= new string(Span);

    /// <summary>Gives the buffer back; the text is empty until the next <see cref="Decode"/>.</summary>
    public void Release()
    {
        if (_chars is not { } chars)
            return;
        Interlocked.Increment(ref _version);
        _chars = null;
        _length = 0;
        _string = null;
        Interlocked.Increment(ref _version);
        PooledBuffers.Return(chars);
    }

    /// <summary>
    /// A copy of the text for a reader on another thread, or null when there is none or it changed during the copy
    /// (the statement ended; the reader shows the session as idle, as it now is).
    /// </summary>
    public string? Snapshot()
    {
        var before = Volatile.Read(ref _version);
        if ((before & 1) != 0)
            return null;
        var chars = Volatile.Read(ref _chars);
        var length = Volatile.Read(ref _length);
        if (chars is null || length > chars.Length)
            return null;
        var copy = new string(chars, 0, length);
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _version) == before ? copy : null;
    }
}
