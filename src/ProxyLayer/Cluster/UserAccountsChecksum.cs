using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ProxyLayer.Routing;

namespace ProxyLayer.Cluster;

/// <summary>
/// ProxySQL's <c>mysql_users</c> checksum, which hashes its in-memory account maps rather than rows: backend and
/// frontend accounts each hashed (SpookyHash seeds 13, 4) in the order of SpookyHash(username, seeds 1, 2), per
/// account the flags and numbers as their C++ in-memory bytes (bool 1 byte, int 4 bytes little-endian) then the
/// texts; the two hashes are added. Rows are those of <see cref="ClusterTables.Users"/> (a peer's fetched rows too).
/// </summary>
internal static class UserAccountsChecksum
{
    public static ulong Raw(ClusterTable users)
    {
        var backends = new SortedDictionary<ulong, IReadOnlyList<string?>>();
        var frontends = new SortedDictionary<ulong, IReadOnlyList<string?>>();
        foreach (var row in users.Rows)
        {
            var key = UsernameKey(row[0] ?? "");
            // A later row with the same name does not replace the first (std::map::insert keeps the first).
            if (row[8] == "1")
                backends.TryAdd(key, row);
            if (row[9] == "1")
                frontends.TryAdd(key, row);
        }
        return unchecked(AccountsHash(backends.Values) + AccountsHash(frontends.Values));
    }

    private static ulong UsernameKey(string username)
    {
        ulong hash1 = 1, hash2 = 2;
        SpookyHash.Hash128(Encoding.UTF8.GetBytes(username), ref hash1, ref hash2);
        return hash1;
    }

    private static ulong AccountsHash(IEnumerable<IReadOnlyList<string?>> accounts)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var any = false;
        foreach (var row in accounts)
        {
            var defaultHostgroup = Int(row[3]);
            if (defaultHostgroup < 0)
                continue;
            any = true;
            Flag(buffer, row[2]);
            Int32(buffer, defaultHostgroup);
            Flag(buffer, row[5]);
            Flag(buffer, row[6]);
            Flag(buffer, row[7]);
            Int32(buffer, Math.Max(0, Int(row[10])));
            foreach (var index in (int[])[0, 1, 4, 12, 11]) // username, password, default_schema, comment, attributes
                Encoding.UTF8.GetBytes(row[index] ?? "", buffer);
        }
        if (!any)
            return 0;
        ulong hash1 = 13, hash2 = 4;
        SpookyHash.Hash128(buffer.WrittenSpan, ref hash1, ref hash2);
        return hash1;
    }

    private static void Flag(ArrayBufferWriter<byte> buffer, string? value)
    {
        buffer.GetSpan(1)[0] = value == "1" ? (byte)1 : (byte)0;
        buffer.Advance(1);
    }

    private static void Int32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    /// <summary>As C's atoi: leading digits, 0 when there are none.</summary>
    private static int Int(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
