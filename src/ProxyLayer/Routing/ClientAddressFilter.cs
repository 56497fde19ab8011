namespace ProxyLayer.Routing;

/// <summary>
/// The <c>client_addr</c> filter: an exact address, a prefix ending in '%' (<c>10.0.%</c>), or '%' alone for any.
/// </summary>
internal readonly struct ClientAddressFilter
{
    private ClientAddressFilter(string? text, bool isPrefix)
    {
        Text = text;
        IsPrefix = isPrefix;
    }

    /// <summary>The address or prefix (without '%'); null means any address.</summary>
    public string? Text { get; }

    public bool IsPrefix { get; }

    public bool MatchesAny => Text is null;

    public static bool TryCreate(string? pattern, out ClientAddressFilter filter)
    {
        filter = default;
        if (pattern is null || pattern == "%")
        {
            return true;
        }

        var percent = pattern.IndexOf('%', StringComparison.Ordinal);
        if (percent >= 0 && percent != pattern.Length - 1)
        {
            return false;
        }

        filter = percent < 0 ? new ClientAddressFilter(pattern, false) : new ClientAddressFilter(pattern[..^1], true);
        return true;
    }

    public bool Matches(string? address)
    {
        if (Text is null)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        return IsPrefix ? address.StartsWith(Text, StringComparison.Ordinal) : address == Text;
    }

    /// <summary>True if every address this filter accepts is accepted by <paramref name="wider"/>.</summary>
    public bool IsCoveredBy(ClientAddressFilter wider)
    {
        if (wider.Text is null)
        {
            return true;
        }

        if (Text is null)
        {
            return false;
        }

        return wider.IsPrefix
            ? Text.StartsWith(wider.Text, StringComparison.Ordinal)
            : !IsPrefix && Text == wider.Text;
    }
}
