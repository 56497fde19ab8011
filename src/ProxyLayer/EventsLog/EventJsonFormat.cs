using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProxyLayer.EventsLog;

/// <summary>
/// <c>mysql-eventslog_format=2</c>: one JSON object per line, with ProxySQL's field names, value formats and key
/// order (its JSON library sorts keys). Times are the proxy's local time; a cache answer has hostgroup_id -1 and no
/// server.
/// </summary>
internal static class EventJsonFormat
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes <paramref name="e"/> and a newline; <paramref name="json"/> is reset onto <paramref name="output"/> and reused.</summary>
    public static void Write(IBufferWriter<byte> output, ref Utf8JsonWriter? json, in QueryEvent e, ulong digest)
    {
        if (json is null)
            json = new Utf8JsonWriter(output, Options);
        else
            json.Reset(output);
        Span<char> text = stackalloc char[64];
        json.WriteStartObject();
        json.WriteString("client", Address(text, e.ClientAddress, e.ClientPort));
        json.WriteString("digest", Digest(text, digest));
        json.WriteNumber("duration_us", e.EndUnixMicroseconds - e.StartUnixMicroseconds);
        json.WriteString("endtime", LocalTime(text, e.EndUnixMicroseconds));
        json.WriteNumber("endtime_timestamp_us", e.EndUnixMicroseconds);
        json.WriteString("event", "COM_QUERY");
        json.WriteNumber("hostgroup_id", e.Hostgroup ?? -1);
        json.WriteString("query", e.Query);
        json.WriteNumber("rows_affected", e.RowsAffected);
        json.WriteNumber("rows_sent", e.RowsSent);
        json.WriteString("schemaname", e.Schema ?? "");
        if (e.Hostgroup is not null && e.ServerHost is not null)
            json.WriteString("server", Address(text, e.ServerHost, e.ServerPort));
        json.WriteString("starttime", LocalTime(text, e.StartUnixMicroseconds));
        json.WriteNumber("starttime_timestamp_us", e.StartUnixMicroseconds);
        json.WriteNumber("thread_id", e.ThreadId);
        json.WriteString("username", e.Username);
        json.WriteEndObject();
        json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary><c>host:port</c>, or the bare host when the port is unknown (ProxySQL's format).</summary>
    private static ReadOnlySpan<char> Address(Span<char> buffer, string host, int port)
    {
        if (port == 0 || host.Length + 7 > buffer.Length)
            return host;
        host.CopyTo(buffer);
        buffer[host.Length] = ':';
        port.TryFormat(buffer[(host.Length + 1)..], out var written, provider: CultureInfo.InvariantCulture);
        return buffer[..(host.Length + 1 + written)];
    }

    /// <summary><c>0x%016X</c>.</summary>
    private static ReadOnlySpan<char> Digest(Span<char> buffer, ulong digest)
    {
        buffer[0] = '0';
        buffer[1] = 'x';
        digest.TryFormat(buffer[2..], out var written, "X16", CultureInfo.InvariantCulture);
        return buffer[..(2 + written)];
    }

    /// <summary><c>YYYY-MM-DD HH:MM:SS.ffffff</c> in local time.</summary>
    internal static ReadOnlySpan<char> LocalTime(Span<char> buffer, long unixMicroseconds)
    {
        var local = DateTimeOffset.FromUnixTimeMilliseconds(Math.DivRem(unixMicroseconds, 1_000_000, out var micros) * 1000).ToLocalTime();
        local.TryFormat(buffer, out var written, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        buffer[written++] = '.';
        micros.TryFormat(buffer[written..], out var fraction, "D6", CultureInfo.InvariantCulture);
        return buffer[..(written + fraction)];
    }
}
