using System.Buffers.Binary;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// With <c>mysql-query_cache_handle_warnings=1</c> a result with warnings may be cached. As in ProxySQL, the stored
/// copy says "0 warnings": a later client served from the cache has no warnings to fetch with SHOW WARNINGS.
/// </summary>
internal static class CachedResultWarnings
{
    private const int HeaderLength = 4;
    private const byte EofOrOkSignature = 0xFE;

    /// <summary>
    /// Zeroes the warning count of the packet that ends a captured result set (EOF, or the OK that replaces it with
    /// CLIENT_DEPRECATE_EOF). Returns false, changing nothing, if the bytes do not end that way.
    /// </summary>
    public static bool Clear(Span<byte> response, bool deprecateEof)
    {
        var last = -1;
        var offset = 0;
        while (offset + HeaderLength <= response.Length)
        {
            var length = response[offset] | response[offset + 1] << 8 | response[offset + 2] << 16;
            if (offset + HeaderLength + length > response.Length)
                return false;
            last = offset;
            offset += HeaderLength + length;
        }
        if (last < 0 || offset != response.Length)
            return false;
        var payload = response[(last + HeaderLength)..];
        if (payload.IsEmpty || payload[0] != EofOrOkSignature)
            return false;
        if (!deprecateEof)
        {
            // EOF: 0xFE, warnings (2), status (2).
            if (payload.Length < 5)
                return false;
            BinaryPrimitives.WriteUInt16LittleEndian(payload[1..], 0);
            return true;
        }
        // OK in place of EOF: 0xFE, affected rows, last insert id (length-encoded), status (2), warnings (2).
        if (payload.Length < 7)
            return false;
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        reader.ReadLengthEncodedInteger();
        reader.ReadLengthEncodedInteger();
        var warningsAt = reader.Offset + 2;
        if (warningsAt + 2 > payload.Length)
            return false;
        BinaryPrimitives.WriteUInt16LittleEndian(payload[warningsAt..], 0);
        return true;
    }
}
