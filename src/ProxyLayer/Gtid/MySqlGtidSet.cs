using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ProxyLayer.Gtid;

/// <summary>
/// A MySQL GTID set as <c>@@gtid_executed</c> and the SESSION_TRACK_GTIDS record write it:
/// <c>uuid:1-5:7,uuid2:1-3</c> (sources separated by commas, MySQL adds a newline after each; per source, intervals
/// <c>a-b</c> or single numbers separated by colons). Immutable: the monitor parses a new one when the text changes
/// and swaps it in, so routing reads it without a lock. Parsing allocates (monitor path only); membership does not.
/// </summary>
internal sealed class MySqlGtidSet
{
    private readonly Guid[] _sources;
    /// <summary>Per source, its intervals as (first, last) pairs, inclusive, in the order given.</summary>
    private readonly (ulong First, ulong Last)[][] _intervals;

    private MySqlGtidSet(string text, Guid[] sources, (ulong, ulong)[][] intervals)
    {
        Text = text;
        _sources = sources;
        _intervals = intervals;
    }

    public static MySqlGtidSet Empty { get; } = new("", [], []);

    /// <summary>The text as the server gave it (for <c>stats_mysql_gtid_executed</c>).</summary>
    public string Text { get; }

    public int SourceCount => _sources.Length;

    /// <summary>Parses a GTID set; null if any part is malformed (a tagged set included). Empty text is the empty set.</summary>
    public static MySqlGtidSet? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sources = new List<Guid>();
        var intervals = new List<List<(ulong, ulong)>>();
        Span<byte> bytes = stackalloc byte[64];
        foreach (var range in text.AsSpan().Split(','))
        {
            var part = text.AsSpan()[range].Trim();
            if (part.IsEmpty)
                continue;
            var colon = part.IndexOf(':');
            if (colon != MySqlGtid.UuidLength || !Ascii(part[..colon], bytes, out var uuid) || !MySqlGtid.TryParseSource(uuid, out var source))
                return null;
            var at = sources.IndexOf(source);
            if (at < 0)
            {
                sources.Add(source);
                intervals.Add([]);
                at = sources.Count - 1;
            }
            var rest = part[(colon + 1)..];
            foreach (var intervalRange in rest.Split(':'))
            {
                if (!Ascii(rest[intervalRange].Trim(), bytes, out var interval) || !TryParseInterval(interval, out var first, out var last))
                    return null;
                intervals[at].Add((first, last));
            }
        }
        return new MySqlGtidSet(text, [.. sources], [.. intervals.Select(i => i.ToArray())]);
    }

    /// <summary><c>n</c> or <c>a-b</c> with 1 ≤ a ≤ b.</summary>
    internal static bool TryParseInterval(ReadOnlySpan<byte> text, out ulong first, out ulong last)
    {
        last = 0;
        if (!Utf8Parser.TryParse(text, out first, out var used) || first == 0)
            return false;
        if (used == text.Length)
        {
            last = first;
            return true;
        }
        if (text[used] != (byte)'-')
            return false;
        text = text[(used + 1)..];
        return Utf8Parser.TryParse(text, out last, out used) && used == text.Length && last >= first;
    }

    /// <summary>True if <paramref name="gtid"/> is in this set.</summary>
    public bool Contains(MySqlGtid gtid)
    {
        var sources = _sources;
        for (var i = 0; i < sources.Length; i++)
        {
            if (sources[i] != gtid.Source)
                continue;
            foreach (var (first, last) in _intervals[i])
            {
                if (gtid.Number >= first && gtid.Number <= last)
                    return true;
            }
            return false;
        }
        return false;
    }

    private static bool Ascii(ReadOnlySpan<char> text, Span<byte> buffer, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (text.Length > buffer.Length)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
                return false;
            buffer[i] = (byte)text[i];
        }
        bytes = buffer[..text.Length];
        return true;
    }

    /// <summary>The set in MySQL's text form without newlines (for <c>WAIT_FOR_EXECUTED_GTID_SET</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _sources.Length; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append(_sources[i].ToString("D"));
            foreach (var (first, last) in _intervals[i])
            {
                text.Append(':').Append(first.ToString(CultureInfo.InvariantCulture));
                if (last != first)
                    text.Append('-').Append(last.ToString(CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }
}
