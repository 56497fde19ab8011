namespace ProxyLayer.Routing;

/// <summary>A query's digest text and its 64-bit hash (SpookyHash V2, seed 0, of the text's UTF-8 bytes).</summary>
public readonly record struct QueryDigestResult(string Text, ulong Hash)
{
    public override string ToString() => $"{QueryDigest.FormatHash(Hash)} {Text}";
}
