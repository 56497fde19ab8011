namespace ProxyLayer.Cluster;

/// <summary>
/// A result set as peers exchange it: column names and rows of text (null for SQL NULL). The same rows are
/// checksummed and served to peers, so what a peer fetches always hashes to the checksum it was shown.
/// </summary>
internal sealed record ClusterTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    public ulong RawChecksum => ResultsetChecksum.Raw(Rows);
}
