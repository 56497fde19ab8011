namespace ProxyLayer.Gtid;

/// <summary>
/// What a server has applied, per replication domain: the highest sequence of each (MariaDB's
/// <c>@@gtid_current_pos</c>, <c>d-s-n,d-s-n…</c>). Immutable: the monitor builds a new one when the text changes and
/// swaps it in, so routing reads it without a lock.
/// </summary>
internal sealed class GtidPosition
{
    private readonly uint[] _domains;
    private readonly ulong[] _sequences;

    private GtidPosition(string text, uint[] domains, ulong[] sequences)
    {
        Text = text;
        _domains = domains;
        _sequences = sequences;
    }

    public static GtidPosition Empty { get; } = new("", [], []);

    /// <summary>The text as the server gave it (for <c>stats_mysql_gtid_executed</c>).</summary>
    public string Text { get; }

    public int DomainCount => _domains.Length;

    /// <summary>
    /// Parses a comma-separated MariaDB GTID list; null if any part is not a GTID. A domain listed twice keeps its
    /// highest sequence.
    /// </summary>
    public static GtidPosition? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var domains = new List<uint>();
        var sequences = new List<ulong>();
        foreach (var range in text.AsSpan().Split(','))
        {
            var part = text.AsSpan()[range].Trim();
            if (part.IsEmpty)
                continue;
            if (!MariaDbGtid.TryParse(part, out var gtid))
                return null;
            var at = domains.IndexOf(gtid.Domain);
            if (at < 0)
            {
                domains.Add(gtid.Domain);
                sequences.Add(gtid.Sequence);
            }
            else if (gtid.Sequence > sequences[at])
            {
                sequences[at] = gtid.Sequence;
            }
        }
        return new GtidPosition(text, [.. domains], [.. sequences]);
    }

    /// <summary>True if the transaction <paramref name="sequence"/> of <paramref name="domain"/> is applied here.</summary>
    public bool Covers(uint domain, ulong sequence)
    {
        var domains = _domains;
        for (var i = 0; i < domains.Length; i++)
        {
            if (domains[i] == domain)
                return _sequences[i] >= sequence;
        }
        return false;
    }

    /// <summary>The highest sequence of <paramref name="domain"/>, or null if the domain is unknown here.</summary>
    public ulong? SequenceOf(uint domain)
    {
        for (var i = 0; i < _domains.Length; i++)
        {
            if (_domains[i] == domain)
                return _sequences[i];
        }
        return null;
    }

    public override string ToString() => Text;
}
