using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>One MySQL packet as read off the wire.</summary>
internal sealed record RawPacket(byte SequenceId, byte[] Payload)
{
    public bool IsError => Payload.Length > 0 && Payload[0] == 0xFF;

    public bool IsOk => Payload.Length > 0 && Payload[0] == 0x00;

    public bool IsEof => Payload.Length is > 0 and < 9 && Payload[0] == 0xFE;

    /// <summary>An ERR packet's code, SQLSTATE and message (protocol 4.1 layout).</summary>
    public (int Code, string SqlState, string Message) Error
    {
        get
        {
            if (!IsError)
                throw new InvalidOperationException($"not an ERR packet: {Describe()}");
            var code = BinaryPrimitives.ReadUInt16LittleEndian(Payload.AsSpan(1));
            var rest = Payload.AsSpan(3);
            var state = "";
            if (rest.Length >= 6 && rest[0] == (byte)'#')
            {
                state = Encoding.ASCII.GetString(rest[1..6]);
                rest = rest[6..];
            }

            return (code, state, Encoding.UTF8.GetString(rest));
        }
    }

    public string Describe() =>
        IsError ? $"ERR {Error.Code} ({Error.SqlState}): {Error.Message}"
        : $"packet #{SequenceId}, {Payload.Length} bytes, first 0x{(Payload.Length > 0 ? Payload[0] : 0):X2}";
}

/// <summary>
/// A byte-level MySQL client for input no real client sends: garbage, truncated packets, oversized headers, unknown
/// commands, abrupt disconnects. Speaks just enough protocol (4.1, mysql_native_password, text result sets with EOF
/// packets) to log in and run a simple query.
/// </summary>
internal sealed class RawMySqlClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(10);

    // capability flags used by the handshake response
    private const uint LongPassword = 0x1;
    private const uint ConnectWithDb = 0x8;
    private const uint Protocol41 = 0x200;
    private const uint Transactions = 0x2000;
    private const uint SecureConnection = 0x8000;
    private const uint MultiResults = 0x20000;
    private const uint PluginAuth = 0x80000;
    private const uint ConnectAttrs = 0x100000;

    /// <summary>CLIENT_SESSION_TRACK: OK packets carry session-state records (read-your-writes needs them).</summary>
    public const uint SessionTrack = 0x800000;
    private const byte Utf8Mb4GeneralCi = 45;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private byte[] _scramble = [];

    private RawMySqlClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The connection's stream, for callers that drive the protocol themselves (e.g. without allocating).</summary>
    public NetworkStream Stream => _stream;

    /// <param name="localAddress">The address to connect from (another loopback address, 127.0.0.2, …); default: the OS's choice.</param>
    public static async Task<RawMySqlClient> ConnectAsync(IPEndPoint endpoint, IPAddress? localAddress = null)
    {
        var tcp = localAddress is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(localAddress, 0)) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(endpoint);
            return new RawMySqlClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Connects and logs in; throws unless the proxy answers OK.</summary>
    /// <param name="extraCapabilities">Capability flags to ask for beyond the minimal set (e.g. <see cref="SessionTrack"/>).</param>
    public static async Task<RawMySqlClient> LoginAsync(IPEndPoint endpoint, string user, string password, string? database = null,
        IPAddress? localAddress = null, uint extraCapabilities = 0)
    {
        var client = await ConnectAsync(endpoint, localAddress);
        try
        {
            var greeting = await client.ReadPacketAsync();
            client._scramble = ReadScramble(greeting.Payload);
            var response = HandshakeResponse(greeting, user, password, database, extraCapabilities: extraCapabilities);
            await client.WritePacketAsync(1, response);
            var reply = await client.ReadPacketAsync();
            if (!reply.IsOk)
                throw new InvalidOperationException($"login as {user} failed: {reply.Describe()}");
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads one packet; throws <see cref="EndOfStreamException"/> if the peer closes first, <see cref="TimeoutException"/> on silence.</summary>
    public async Task<RawPacket> ReadPacketAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultReadTimeout);
        try
        {
            var header = new byte[4];
            await _stream.ReadExactlyAsync(header, cancel.Token);
            var length = header[0] | (header[1] << 8) | (header[2] << 16);
            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, cancel.Token);
            return new RawPacket(header[3], payload);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete packet within {(timeout ?? DefaultReadTimeout).TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// True when the peer closes the connection (EOF or reset) within <paramref name="timeout"/>, discarding anything
    /// it still sends; false if it stays open.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Reads and discards at least <paramref name="count"/> bytes of whatever the peer sends.</summary>
    public async Task SkipBytesAsync(long count, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultReadTimeout);
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await _stream.ReadAsync(buffer, cancel.Token);
            if (read == 0)
                throw new EndOfStreamException($"closed with {count} bytes still expected");
            count -= read;
        }
    }

    public async Task WritePacketAsync(byte sequenceId, ReadOnlyMemory<byte> payload)
    {
        var header = new byte[4];
        header[0] = (byte)payload.Length;
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)(payload.Length >> 16);
        header[3] = sequenceId;
        await _stream.WriteAsync(header);
        await _stream.WriteAsync(payload);
        await _stream.FlushAsync();
    }

    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends COM_QUERY as the first packet of a command.</summary>
    /// <summary>
    /// COM_CHANGE_USER as libmysqlclient sends it (the answer computed from the greeting's nonce), then the auth
    /// switch if the server asks for one. Returns the final OK or ERR.
    /// </summary>
    public async Task<RawPacket> ChangeUserAsync(string user, string password, string? database = null)
    {
        using var body = new MemoryStream();
        body.WriteByte(0x11);
        WriteNullTerminated(body, user);
        var authResponse = NativePasswordResponse(password, _scramble);
        body.WriteByte((byte)authResponse.Length);
        body.Write(authResponse);
        WriteNullTerminated(body, database ?? "");
        body.Write([Utf8Mb4GeneralCi, 0]);
        WriteNullTerminated(body, "mysql_native_password");
        await WritePacketAsync(0, body.ToArray());
        var reply = await ReadPacketAsync();
        if (reply.Payload is [0xFE, ..] && reply.Payload.Length > 9)
        {
            // AuthSwitchRequest: plugin name, then a fresh nonce (NUL-terminated)
            var nameEnd = Array.IndexOf(reply.Payload, (byte)0, 1);
            var plugin = Encoding.ASCII.GetString(reply.Payload, 1, nameEnd - 1);
            var nonce = reply.Payload.AsSpan(nameEnd + 1, 20).ToArray();
            var answer = plugin == "caching_sha2_password"
                ? ProxyLayer.Protocol.Auth.CachingSha2Password.Scramble(password, nonce)
                : NativePasswordResponse(password, nonce);
            await WritePacketAsync((byte)(reply.SequenceId + 1), answer);
            reply = await ReadPacketAsync();
            // caching_sha2_password's fast path says so (AuthMoreData 0x03) before its OK.
            if (reply.Payload is [0x01, 0x03])
                reply = await ReadPacketAsync();
        }
        return reply;
    }

    public Task SendQueryAsync(string sql) => WritePacketAsync(0, (byte[])[0x03, .. Encoding.UTF8.GetBytes(sql)]);

    /// <summary>
    /// Reads a complete answer to COM_QUERY with a text result set (EOF-terminated, as no DEPRECATE_EOF is asked for):
    /// the rows as strings (SQL NULL as null). Throws with the ERR if the answer is an error.
    /// </summary>
    public async Task<List<string?[]>> ReadTextResultSetAsync()
    {
        var first = await ReadPacketAsync();
        if (first.IsError)
            throw new InvalidOperationException($"query failed: {first.Describe()}");
        if (first.IsOk)
            return [];
        var columnOffset = 0;
        var columns = (int)ReadLengthEncoded(first.Payload, ref columnOffset);
        for (var i = 0; i < columns; i++)
            await ReadPacketAsync();
        var eof = await ReadPacketAsync();
        if (!eof.IsEof)
            throw new InvalidOperationException($"expected EOF after the column definitions, got {eof.Describe()}");
        var rows = new List<string?[]>();
        while (true)
        {
            var packet = await ReadPacketAsync();
            if (packet.IsEof)
                return rows;
            if (packet.IsError)
                throw new InvalidOperationException($"result set ended with {packet.Describe()}");
            var row = new string?[columns];
            var offset = 0;
            for (var i = 0; i < columns; i++)
            {
                if (packet.Payload[offset] == 0xFB)
                {
                    offset++;
                    continue;
                }

                var length = (int)ReadLengthEncoded(packet.Payload, ref offset);
                row[i] = Encoding.UTF8.GetString(packet.Payload, offset, length);
                offset += length;
            }

            rows.Add(row);
        }
    }

    /// <summary>Closes with a TCP reset (linger 0), like a crashed client, without a COM_QUIT.</summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Client.Close();
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A HandshakeResponse41 answering <paramref name="greeting"/>. With <paramref name="connectAttributes"/>, CLIENT_CONNECT_ATTRS
    /// is set and those bytes follow as they are (length prefix included: a test may make it lie).
    /// </summary>
    public static byte[] HandshakeResponse(RawPacket greeting, string user, string password, string? database = null,
        byte[]? connectAttributes = null, uint extraCapabilities = 0)
    {
        var scramble = ReadScramble(greeting.Payload);
        var capabilities = LongPassword | Protocol41 | Transactions | SecureConnection | MultiResults | PluginAuth | extraCapabilities;
        if (database is not null)
            capabilities |= ConnectWithDb;
        if (connectAttributes is not null)
            capabilities |= ConnectAttrs;
        var authResponse = NativePasswordResponse(password, scramble);

        using var body = new MemoryStream();
        Span<byte> fixedPart = stackalloc byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart, capabilities);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart[4..], 16 * 1024 * 1024);
        fixedPart[8] = Utf8Mb4GeneralCi;
        body.Write(fixedPart);
        WriteNullTerminated(body, user);
        body.WriteByte((byte)authResponse.Length);
        body.Write(authResponse);
        if (database is not null)
            WriteNullTerminated(body, database);
        WriteNullTerminated(body, "mysql_native_password");
        if (connectAttributes is not null)
            body.Write(connectAttributes);
        return body.ToArray();
    }

    /// <summary>The 20-byte nonce of a HandshakeV10 greeting: 8 bytes, a filler, later 12 more.</summary>
    private static byte[] ReadScramble(byte[] greeting)
    {
        if (greeting.Length == 0 || greeting[0] != 10)
            throw new InvalidOperationException($"not a HandshakeV10 greeting (first byte 0x{(greeting.Length > 0 ? greeting[0] : 0):X2})");
        var offset = Array.IndexOf(greeting, (byte)0, 1) + 1; // after the server version
        offset += 4; // connection id
        var part1 = greeting.AsSpan(offset, 8);
        offset += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10; // part 1, filler, caps low, charset, status, caps high, data length, reserved
        var part2 = greeting.AsSpan(offset, 12);
        return [.. part1, .. part2];
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "mysql_native_password is defined with SHA-1")]
    private static byte[] NativePasswordResponse(string password, byte[] scramble)
    {
        if (password.Length == 0)
            return [];
        var stage1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var stage2 = SHA1.HashData(stage1);
        var mask = SHA1.HashData([.. scramble, .. stage2]);
        for (var i = 0; i < stage1.Length; i++)
            stage1[i] ^= mask[i];
        return stage1;
    }

    private static void WriteNullTerminated(MemoryStream stream, string text)
    {
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.WriteByte(0);
    }

    private static ulong ReadLengthEncoded(byte[] payload, ref int offset)
    {
        var first = payload[offset++];
        switch (first)
        {
            case < 0xFB:
                return first;
            case 0xFC:
                offset += 2;
                return BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(offset - 2));
            case 0xFD:
                offset += 3;
                return (ulong)(payload[offset - 3] | (payload[offset - 2] << 8) | (payload[offset - 1] << 16));
            case 0xFE:
                offset += 8;
                return BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(offset - 8));
            default:
                throw new InvalidOperationException($"bad length-encoded integer 0x{first:X2}");
        }
    }
}
