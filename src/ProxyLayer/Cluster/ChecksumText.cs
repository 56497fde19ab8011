using System.Globalization;

namespace ProxyLayer.Cluster;

/// <summary>
/// ProxySQL's text form of a 64-bit checksum: "0x", the low 32 bits then the high 32 bits in upper-case hex with no
/// zero padding of either half, and the whole then right-filled with '0' to 18 characters. The odd padding is kept
/// on purpose: peers compare these strings byte for byte, so a "tidier" format would never match a ProxySQL node.
/// </summary>
internal static class ChecksumText
{
    public const string Zero = "0x0000000000000000";

    public static string Format(ulong hash)
    {
        var low = (uint)hash;
        var high = (uint)(hash >> 32);
        var text = string.Create(CultureInfo.InvariantCulture, $"0x{low:X}{high:X}");
        return text.Length >= 18 ? text : text.PadRight(18, '0');
    }
}
