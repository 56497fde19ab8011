using System.Buffers;
using System.Text;
using ProxyLayer.Routing;

namespace ProxyLayer.Cluster;

/// <summary>
/// ProxySQL's checksum of a result set (<c>SQLite3_result::raw_checksum</c>): SpookyHash V2 with seeds (19, 3) over
/// every field's text, row after row, with nothing between fields and nothing for NULL; 0 for no rows. So two rows
/// "ab","c" and "a","bc" hash alike, as in ProxySQL.
/// </summary>
internal static class ResultsetChecksum
{
    public static ulong Raw(IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        if (rows.Count == 0)
            return 0;
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var row in rows)
        {
            foreach (var field in row)
            {
                if (field is not null)
                    Encoding.UTF8.GetBytes(field, buffer);
            }
        }
        ulong hash1 = 19, hash2 = 3;
        SpookyHash.Hash128(buffer.WrittenSpan, ref hash1, ref hash2);
        return hash1;
    }
}
