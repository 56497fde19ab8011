using ProxyLayer.Networking;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Backends;

/// <summary>
/// One logged-in connection to a backend server. It is owned by exactly one party at a time: the pool while idle,
/// a client session while in use. What the proxy knows of its server-side state lives here, so the next owner can
/// tell what must be changed before use.
/// </summary>
internal sealed class BackendConnection : IAsyncDisposable
{
    private readonly SocketTransport _transport;
    private int _disposed;

    public BackendConnection(BackendServer server, SocketTransport transport, PacketChannel channel, BackendPoolKey key,
        CapabilityFlags capabilities, uint connectionId, string serverVersion, string? schema, long createdTimestamp)
    {
        Server = server;
        _transport = transport;
        Channel = channel;
        Key = key;
        Capabilities = capabilities;
        ConnectionId = connectionId;
        ServerVersion = serverVersion;
        Schema = schema;
        CreatedTimestamp = createdTimestamp;
        LastUsedTimestamp = createdTimestamp;
        Collation = key.Collation;
    }

    public BackendServer Server { get; }
    public PacketChannel Channel { get; }
    public BackendPoolKey Key { get; }
    /// <summary>The capabilities negotiated with the server (the client-relevant ones equal the session's, see <see cref="BackendPoolKey"/>).</summary>
    public CapabilityFlags Capabilities { get; }
    public uint ConnectionId { get; }
    public string ServerVersion { get; }

    /// <summary>The default schema on the server, as far as the proxy knows; null if unknown.</summary>
    public string? Schema { get; set; }
    /// <summary>The collation id the connection's character set variables are set to; 0 if unknown (after a reset).</summary>
    public int Collation { get; set; }
    public ServerStatusFlags Status { get; set; } = ServerStatusFlags.Autocommit;
    public long CreatedTimestamp { get; }
    public long LastUsedTimestamp { get; set; }

    /// <summary>Set when the connection cannot be trusted any more (I/O error, protocol error, interrupted result); it is closed, never reused.</summary>
    public bool IsBroken { get; private set; }

    public bool InTransaction => (Status & ServerStatusFlags.InTransaction) != 0;

    public void MarkBroken() => IsBroken = true;

    /// <summary>Closes the socket at once, e.g. to interrupt a statement whose client went away.</summary>
    public void Abort()
    {
        IsBroken = true;
        _transport.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        var healthy = !IsBroken;
        IsBroken = true;
        if (healthy)
        {
            try
            {
                // COM_QUIT, best effort: lets the server log a clean close rather than an aborted connection.
                Channel.NextSequenceId = 0;
                Channel.WritePayload([(byte)CommandKind.Quit]);
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                await Channel.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
            }
        }
        await _transport.DisposeAsync().ConfigureAwait(false);
        Channel.Dispose();
        Server.OnConnectionClosed();
    }
}
