using System.Buffers.Binary;
using System.Text;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.EventsLog;

/// <summary>
/// <c>mysql-eventslog_format=1</c>, ProxySQL's binary events log: per event an 8-byte little-endian length of what
/// follows, the event type (0 = COM_QUERY), then MySQL length-encoded integers and strings: thread id, username,
/// schema, client address, hostgroup (2^64-1 when there is none, and then no server), server address, start and end
/// time (µs since the epoch), rows affected, rows sent, digest, query.
/// </summary>
internal static class EventBinaryFormat
{
    /// <summary>ProxySQL's PROXYSQL_COM_QUERY event type.</summary>
    public const byte ComQuery = 0;

    /// <summary>ProxySQL's "no hostgroup" marker (an answer from the query cache).</summary>
    public const ulong NoHostgroup = ulong.MaxValue;

    /// <summary>Writes <paramref name="e"/> to <paramref name="destination"/>, built in <paramref name="scratch"/> (cleared first).</summary>
    public static void Write(Stream destination, PayloadWriter scratch, in QueryEvent e, ulong digest)
    {
        scratch.Clear();
        var output = scratch;
        output.WriteByte(ComQuery);
        output.WriteLengthEncodedInteger(e.ThreadId);
        WriteString(output, e.Username);
        WriteString(output, e.Schema ?? "");
        WriteAddress(output, e.ClientAddress, e.ClientPort);
        var hasServer = e.Hostgroup is not null && e.ServerHost is not null;
        output.WriteLengthEncodedInteger(hasServer ? (ulong)(long)e.Hostgroup!.Value : NoHostgroup);
        if (hasServer)
            WriteAddress(output, e.ServerHost!, e.ServerPort);
        output.WriteLengthEncodedInteger((ulong)e.StartUnixMicroseconds);
        output.WriteLengthEncodedInteger((ulong)e.EndUnixMicroseconds);
        output.WriteLengthEncodedInteger((ulong)e.RowsAffected);
        output.WriteLengthEncodedInteger((ulong)e.RowsSent);
        output.WriteLengthEncodedInteger(digest);
        WriteString(output, e.Query);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)output.Length);
        destination.Write(length);
        destination.Write(output.Payload);
    }

    private const int MaxStackHost = 255;

    private static void WriteString(PayloadWriter output, string value)
    {
        output.WriteLengthEncodedInteger((ulong)Encoding.UTF8.GetByteCount(value));
        output.WriteString(value);
    }

    private static void WriteAddress(PayloadWriter output, string host, int port)
    {
        if (port == 0 || host.Length > MaxStackHost)
        {
            WriteString(output, port == 0 ? host : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{host}:{port}"));
            return;
        }
        Span<char> text = stackalloc char[host.Length + 7];
        host.CopyTo(text);
        text[host.Length] = ':';
        port.TryFormat(text[(host.Length + 1)..], out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        text = text[..(host.Length + 1 + written)];
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var count = Encoding.UTF8.GetBytes(text, bytes);
        output.WriteLengthEncodedInteger((ulong)count);
        output.WriteBytes(bytes[..count]);
    }
}
