using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.NetFuzz.Fuzzing;

/// <summary>
/// Just enough of the client side of the MySQL protocol to misbehave at any step: raw packets, a greeting's nonce, a
/// well-formed handshake response to cut or mutate. Every read is bounded by the caller's token.
/// </summary>
internal sealed class WireClient : IAsyncDisposable
{
    private const uint Capabilities = 0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000 | 0x100000; // ... | PLUGIN_AUTH | CONNECT_ATTRS
    private readonly Socket _socket;

    private WireClient(Socket socket) => _socket = socket;

    public static async Task<WireClient> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new WireClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Bytes written so far, packets counted by the caller.</summary>
    public long BytesSent { get; private set; }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _socket.SendAsync(bytes, cancellationToken);
        BytesSent += bytes.Length;
    }

    public Task SendPacketAsync(byte sequenceId, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        var packet = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(packet, payload.Length);
        packet[3] = sequenceId;
        payload.CopyTo(packet.AsSpan(4));
        return SendAsync(packet, cancellationToken);
    }

    /// <summary>One packet; null if the peer closed first.</summary>
    public async Task<(byte SequenceId, byte[] Payload)?> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await ReadExactlyAsync(header, cancellationToken))
            return null;
        var payload = new byte[header[0] | (header[1] << 8) | (header[2] << 16)];
        return await ReadExactlyAsync(payload, cancellationToken) ? (header[3], payload) : null;
    }

    /// <summary>Reads and drops whatever comes until the peer closes or <paramref name="quiet"/> passes without data.</summary>
    public async Task<bool> DrainAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(quiet);
            try
            {
                if (await _socket.ReceiveAsync(buffer, idle.Token) == 0)
                    return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }
    }

    /// <summary>A handshake response for <paramref name="user"/> answering <paramref name="greeting"/>, with a few connect attributes.</summary>
    public static byte[] HandshakeResponse(byte[] greeting, string user, string password)
    {
        using var body = new MemoryStream();
        Span<byte> fixedPart = stackalloc byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart, Capabilities);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart[4..], 16 * 1024 * 1024);
        fixedPart[8] = 45;
        body.Write(fixedPart);
        body.Write(Encoding.UTF8.GetBytes(user));
        body.WriteByte(0);
        var auth = NativePassword(password, Nonce(greeting));
        body.WriteByte((byte)auth.Length);
        body.Write(auth);
        body.Write("testdb\0mysql_native_password\0"u8);
        byte[] attributes = [.. "\u0007_client"u8, .. "\u0007netfuzz"u8];
        body.WriteByte((byte)attributes.Length);
        body.Write(attributes);
        return body.ToArray();
    }

    /// <summary>Logs in; false if the answer was not OK.</summary>
    public async Task<bool> LoginAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (await ReadPacketAsync(cancellationToken) is not { } greeting || greeting.Payload.Length == 0 || greeting.Payload[0] != 10)
            return false;
        await SendPacketAsync(1, HandshakeResponse(greeting.Payload, user, password), cancellationToken);
        return await ReadPacketAsync(cancellationToken) is { } reply && reply.Payload.Length > 0 && reply.Payload[0] == 0;
    }

    /// <summary>Closes with a reset (linger 0), as a crashed client.</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (buffer.Length > 0)
            {
                var read = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (read == 0)
                    return false;
                buffer = buffer[read..];
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static byte[] Nonce(byte[] greeting)
    {
        var offset = Array.IndexOf(greeting, (byte)0, 1) + 1 + 4;
        if (offset < 5 || greeting.Length < offset + 8 + 19 + 12)
            return new byte[20];
        var part1 = greeting.AsSpan(offset, 8);
        var part2 = greeting.AsSpan(offset + 8 + 19, 12);
        return [.. part1, .. part2];
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "mysql_native_password is defined with SHA-1")]
    private static byte[] NativePassword(string password, byte[] nonce)
    {
        var stage1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var mask = SHA1.HashData([.. nonce, .. SHA1.HashData(stage1)]);
        for (var i = 0; i < stage1.Length; i++)
            stage1[i] ^= mask[i];
        return stage1;
    }
}
