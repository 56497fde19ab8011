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
        Generation = server.Generation;
        Statements = new BackendStatementCache(server);
        CharacterSetStatement = Sessions.Collations.SetNamesStatement(key.Collation);
    }

    public BackendServer Server { get; }
    public PacketChannel Channel { get; }
    /// <summary>Who the connection is logged in as, with what client-visible capabilities and collation; changes with COM_CHANGE_USER.</summary>
    public BackendPoolKey Key { get; private set; }
    /// <summary>The server's greeting scramble: COM_CHANGE_USER answers it again.</summary>
    public byte[] Scramble { get; init; } = [];
    /// <summary>The capabilities negotiated with the server (the client-relevant ones equal the session's, see <see cref="BackendPoolKey"/>).</summary>
    public CapabilityFlags Capabilities { get; }
    public uint ConnectionId { get; }
    public string ServerVersion { get; }
    /// <summary>The TLS settings it connected with (null on a plain link); a side connection (KILL QUERY) uses the same.</summary>
    public BackendTls? Tls { get; init; }

    /// <summary>The default schema on the server, as far as the proxy knows; null if unknown.</summary>
    public string? Schema { get; set; }
    /// <summary>The statement the connection's character set was last set with; null if unknown (after a reset).</summary>
    public string? CharacterSetStatement { get; set; }

    /// <summary>Session variables set on this connection by the proxy on behalf of sessions (name → value text).</summary>
    public Dictionary<string, string> AppliedVariables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The session and state version this connection was last brought in line with; skips re-checking.</summary>
    public object? SyncedSession { get; set; }
    public long SyncedVersion { get; set; }

    /// <summary>
    /// The connection carries state the proxy does not track (user variables, temporary tables, locks, prepared
    /// statements…): it must be reset with COM_RESET_CONNECTION before anyone else uses it.
    /// </summary>
    public bool NeedsReset { get; set; }

    /// <summary>
    /// The session whose statement left warnings or an error in the server's diagnostics area; null if none since the
    /// last reset. Another session reading diagnostics must not see them (see <see cref="Sessions.State.StateSynchronizer"/>).
    /// </summary>
    public object? DiagnosticsOwner { get; set; }

    /// <summary>
    /// The proxy's count of <c>SET GLOBAL</c>s when this connection's session variables were last taken from the
    /// server's globals (login, COM_RESET_CONNECTION, COM_CHANGE_USER). An older one is not handed to a new session.
    /// </summary>
    public int GlobalsEpoch { get; set; }

    /// <summary>Binary-protocol statements prepared on this connection, shared by every session that uses it.</summary>
    public BackendStatementCache Statements { get; }

    /// <summary>
    /// The server was asked to report each commit's GTID in its OK packets (read-your-writes). Session variables:
    /// a reset or change of user loses it.
    /// </summary>
    public bool TracksGtids { get; set; }

    /// <summary>Forgets everything tracked after COM_RESET_CONNECTION: the server reset its session to the global defaults.</summary>
    public void OnReset()
    {
        CharacterSetStatement = null;
        AppliedVariables.Clear();
        Statements.Clear();
        SyncedSession = null;
        NeedsReset = false;
        DiagnosticsOwner = null;
        TracksGtids = false;
        Status = ServerStatusFlags.Autocommit;
    }

    /// <summary>After COM_CHANGE_USER: a new owner, a reset session, the schema and collation sent with the command.</summary>
    public void OnUserChanged(BackendPoolKey key, string? schema)
    {
        OnReset();
        Key = key;
        Schema = schema;
        CharacterSetStatement = Sessions.Collations.SetNamesStatement(key.Collation);
    }

    public ServerStatusFlags Status { get; set; } = ServerStatusFlags.Autocommit;
    public long CreatedTimestamp { get; }
    /// <summary>The server's generation when this connection opened; an older one is retired, not reused.</summary>
    public int Generation { get; }
    public long LastUsedTimestamp { get; set; }

    /// <summary>Set when the connection cannot be trusted any more (I/O error, protocol error, interrupted result); it is closed, never reused.</summary>
    public bool IsBroken { get; private set; }

    public bool InTransaction => (Status & ServerStatusFlags.InTransaction) != 0;

    public void MarkBroken() => IsBroken = true;

    /// <summary>How recently a connection must have been parked for <see cref="IsUsableAfterIdle"/> to trust the epoll engine's news.</summary>
    private const long TrustQuietWithinMs = 1000;

    /// <summary>Checks an idle connection before reuse; a dead one (server killed, connection timed out) is marked broken.</summary>
    /// <param name="trustQuiet">
    /// The caller can send its statement again elsewhere if this connection turns out dead (a read outside a
    /// transaction): a connection parked within the last second on which the epoll engine has seen nothing since is
    /// taken without asking the kernel. That saves a <c>poll</c> per statement; the price is that a server death the
    /// loop has not fetched yet is found by the statement's read instead, which the caller retries.
    /// </param>
    public bool IsUsableAfterIdle(bool trustQuiet = false)
    {
        if (trustQuiet && !IsBroken && Environment.TickCount64 - LastUsedTimestamp < TrustQuietWithinMs && _transport.QuietSinceLastRead)
            return true;
        if (IsBroken || _transport.IsPeerClosedOrUnexpectedData())
        {
            IsBroken = true;
            return false;
        }
        return true;
    }

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
                Channel.StartCommand();
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
        Statements.Clear();
        Server.OnConnectionClosed();
    }
}
