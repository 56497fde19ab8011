using System.Net;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.EventsLog;
using ProxyLayer.Mirroring;
using ProxyLayer.Networking;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;
using ProxyLayer.Sessions.State;
using ProxyLayer.Stats;

namespace ProxyLayer.Sessions;

/// <summary>
/// One application connection on the MySQL interface: login, then a loop of commands, each answered locally or
/// relayed to a backend connection of the user's hostgroup. The session is the only owner of its backend connection
/// while it holds one, so no locking is needed on either side.
/// </summary>
internal sealed partial class ClientSession : IDisposable
{
    private readonly SocketTransport _transport;
    private readonly PacketChannel _client;
    private readonly RuntimeConfigManager _runtime;
    private readonly BackendConnectionProvider _backends;
    private readonly SessionRegistry _registry;
    private readonly ILogger _logger;
    private readonly QueryTimeout _queryTimeout;
    private readonly ResponseRelay _relay = new();
    private volatile SessionPhase _phase = SessionPhase.Handshaking;
    private BackendConnection? _backend;
    private int _backendHostgroup;
    private UserConfig? _user;
    private BackendCredentials? _credentials;
    private CapabilityFlags _capabilities;
    private int _collation;
    private SessionState _state = new(null, "");
    private ServerStatusFlags _status = ServerStatusFlags.Autocommit;
    private bool _userCounted;
    /// <summary>Statements for which the current backend connection is kept after a statement that may be followed up (insert id, warnings).</summary>
    private int _keepAttachedFor;

    /// <param name="tls">The certificate to offer TLS with while <c>mysql-have_ssl</c> is true; null: never offered.</param>
    /// <param name="backendIdentity">What the backends' greetings said, for this session's own greeting.</param>
    public ClientSession(SocketTransport transport, uint connectionId, RuntimeConfigManager runtime,
        BackendConnectionProvider backends, SessionRegistry registry, QueryStatistics statistics, QueryResultCache cache,
        StatementMirror mirror, QueryEventsLog eventsLog, FrontendTls? tls, BackendIdentityState backendIdentity, ILogger logger)
    {
        _tls = tls;
        _backendIdentity = backendIdentity;
        _stats = statistics;
        _cache = cache;
        _mirror = mirror;
        _eventsLog = eventsLog;
        _transport = transport;
        _client = new PacketChannel(transport.Input, transport.Output);
        ConnectionId = connectionId;
        _runtime = runtime;
        _backends = backends;
        _registry = registry;
        _logger = logger;
        _queryTimeout = new QueryTimeout(logger);
        Remote = transport.RemoteEndPoint as IPEndPoint;
        _clientAddress = Remote?.Address.ToString() ?? "";
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The proxy's RSA key and learnt passwords, shared by every session of the host.</summary>
    public required FrontendAuthContext AuthContext { get; init; }

    private readonly QueryStatistics _stats;
    private readonly QueryResultCache _cache;
    private readonly FrontendTls? _tls;
    private readonly BackendIdentityState _backendIdentity;
    private readonly StatementMirror _mirror;
    private readonly QueryEventsLog _eventsLog;
    private readonly string _clientAddress;
    /// <summary>The COM_QUERY being handled; its buffer is the session's only while the statement runs.</summary>
    private readonly StatementText _text = new();
    /// <summary>The COM_QUERY now forwarded is recorded in the stats (and events log) when its answer comes.</summary>
    private bool _recordsStatement;
    private Routing.QueryDigestResult? _statementDigest;
    private long _statementStarted;

    public bool InTransaction => (_status & ServerStatusFlags.InTransaction) != 0;
    /// <summary>When the statement now running started; null while idle.</summary>
    public DateTimeOffset? CommandStartedAt { get; private set; }
    /// <summary>The statement now running (for the process list); null while idle.</summary>
    public string? CurrentQuery => _text.Snapshot();

    public uint ConnectionId { get; }
    public IPEndPoint? Remote { get; }
    public DateTimeOffset StartedAt { get; }
    public SessionPhase Phase => _phase;
    public string? Username => _user?.Username;
    public string? Schema => _state.Schema;
    public int? Hostgroup => _backend is null ? _user?.DefaultHostgroup : _backendHostgroup;
    public PinReasons Pins => _state.Pins;
    /// <summary>This session's Com_frontend_* counts (read racily by the stats).</summary>
    public FrontendCommandTally Commands => _commands;
    private FrontendCommandTally _commands;
    public string? BackendServer => _backend?.Server.ToString();

    /// <summary>Runs the session to its end. Never throws for anything a peer did.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        _registry.Add(this);
        _stats.OnClientConnectionCreated();
        var clean = false;
        try
        {
            if (await LoginAsync(stopping).ConfigureAwait(false))
            {
                if (_user!.FastForward)
                    await FastForwardAsync(stopping).ConfigureAwait(false);
                else
                    await CommandLoopAsync(stopping).ConfigureAwait(false);
                clean = true;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (PacketTooLargeException ex)
        {
            LogSessionError(ConnectionId, Remote, ex.Message);
            await TrySendErrorAsync(new MySqlError(ErrorCodes.NetPacketTooLarge, "08S01", ex.Message)).ConfigureAwait(false);
        }
        catch (ProtocolException ex)
        {
            LogSessionError(ConnectionId, Remote, ex.Message);
            await TrySendErrorAsync(new MySqlError(ErrorCodes.HandshakeError, "08S01", $"Bad packet: {ex.Message}")).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            LogClientGone(ConnectionId, Remote, ex.Message);
        }
        catch (Exception ex)
        {
            LogSessionCrashed(ConnectionId, Remote, ex);
        }
        finally
        {
            if (!clean)
                _stats.OnClientConnectionAborted();
            _stats.Globals.OnSessionEnded(in _commands);
            _phase = SessionPhase.Closing;
            ReleaseBackend(reusable: true);
            if (_userCounted && _user is not null)
                _registry.RemoveUserConnection(_user.Username);
            _registry.Remove(this);
            Dispose();
            await _transport.DisposeAsync().ConfigureAwait(false);
            _phase = SessionPhase.Closed;
        }
    }

    /// <summary>Frees the session's buffers; <see cref="RunAsync"/> calls it when the session ends.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _queryTimeout.Dispose();
    }

    private async Task<bool> LoginAsync(CancellationToken cancellationToken)
    {
        var snapshot = _runtime.Snapshot;
        if (_registry.Count > snapshot.Settings.MaxConnections)
        {
            _client.NextSequenceId = 0;
            _stats.Globals.OnAccessDeniedMaxConnections();
            await SendErrorAsync(new MySqlError(ErrorCodes.ConnectionCountError, "08004", "Too many connections")).ConfigureAwait(false);
            return false;
        }
        var tls = snapshot.Settings.HaveSsl ? _tls : null;
        var login = await FrontendHandshake.RunAsync(_client, ConnectionId, FrontendGreeting.ForClients(snapshot.Settings, _backendIdentity.Current), Remote,
            name => snapshot.FrontendUsers.TryGetValue(name, out var user) ? new FrontendAccount(user.Username, user.Password, user) : null,
            tls is null ? null : token => StartTlsAsync(tls, token),
            new FrontendAuthSettings(snapshot.Settings.DefaultAuthenticationPlugin, AuthContext), cancellationToken).ConfigureAwait(false);
        if (login.IsClosed)
            return false;
        if (login.Error is not null)
        {
            // Malformed logins come in floods: the login gate logs them once per burst, this line only at Debug.
            if (login.Detail is not null)
                LogBadLogin(ConnectionId, Remote, login.Error.Message, login.Detail);
            else if (login.Error.Code != ErrorCodes.AccessDenied)
                LogLoginFailed(login.Error.Message);
            else if (AuthContext.Failures.Record(login.Username, _clientAddress) is { } unlogged)
                LogLoginFailed(login.Error.Message + Networking.BurstLog.More(unlogged));
            _transport.Login?.Failed(login.Error.Code);
            AuthContext.FailureCounts.Count("mysql", login.Detail is not null ? AuthFailureReason.Malformed
                : login.Error.Code == ErrorCodes.AccessDenied ? AuthFailureReason.AccessDenied : AuthFailureReason.Other);
            if (login.Error.Code == ErrorCodes.AccessDenied)
                _stats.Globals.OnAccessDeniedWrongPassword();
            await SendErrorAsync(login.Error).ConfigureAwait(false);
            return false;
        }
        var user = (UserConfig)login.Account!.Tag!;
        if (user.UseSsl && !login.OverTls)
        {
            var error = new MySqlError(ErrorCodes.AccessDenied, "28000",
                $"Access denied for user '{user.Username}'@'{_clientAddress}': this user must connect with SSL (use_ssl=1)");
            LogLoginFailed(error.Message);
            AuthContext.FailureCounts.Count("mysql", AuthFailureReason.SslRequired);
            _transport.Login?.Failed(error.Code);
            await SendErrorAsync(error).ConfigureAwait(false);
            return false;
        }
        if (!_registry.TryAddUserConnection(user.Username, user.MaxConnections))
        {
            _stats.Globals.OnAccessDeniedMaxUserConnections();
            await SendErrorAsync(new MySqlError(ErrorCodes.UserLimitReached, "42000",
                $"User '{user.Username}' has exceeded the 'max_user_connections' resource (current value: {user.MaxConnections})")).ConfigureAwait(false);
            return false;
        }
        _userCounted = true;
        _user = user;
        _lockedSchema = LockedSchemaOf(user, snapshot.Settings);
        if (RefuseSchemaChange(login.Database) is { } locked)
        {
            LogLoginFailed(locked.Message);
            await SendErrorAsync(locked).ConfigureAwait(false);
            return false;
        }
        _capabilities = login.Capabilities;
        _collation = login.Collation;
        _state = new SessionState(login.Database ?? user.DefaultSchema ?? snapshot.Settings.DefaultSchema, Collations.SetNamesStatement(_collation));
        _credentials = BackendCredentials.For(user, snapshot, login.Secrets);
        _client.MaxPayloadLength = snapshot.Settings.MaxAllowedPacket;
        if (!string.IsNullOrEmpty(login.Database) && !user.FastForward && await CheckLoginDatabaseAsync(cancellationToken).ConfigureAwait(false) is { } refused)
        {
            LogLoginFailed(refused.Message);
            await SendErrorAsync(refused).ConfigureAwait(false);
            return false;
        }

        _client.WritePayload(this, static (w, s) => OkPacket.Write(w, 0, 0, s._status, 0, s._capabilities));
        await _client.FlushAsync(cancellationToken).ConfigureAwait(false);
        _transport.Login?.Succeeded();
        // The login's OK is the last uncompressed packet: the client compresses from here on, and so does the proxy.
        if ((_capabilities & CapabilityFlags.Compress) != 0)
        {
            _transport.StartCompression();
            _client.SwitchPipes(_transport.Input, _transport.Output);
        }
        LogLoggedIn(ConnectionId, user.Username, Remote, _state.Schema);
        return true;
    }

    /// <summary>
    /// A login naming a database gets the server's own verdict on it, as a direct login would (1049 unknown database,
    /// 1044 no rights on it, 1300 an invalid name), instead of an error on its first statement. A pooled connection
    /// already in that schema makes this free; one in another schema costs one COM_INIT_DB. If no server can be
    /// reached right now (a failover), the login is not held up: the first statement waits for a server as usual.
    /// </summary>
    /// <returns>The server's error, or null if the database is usable (or could not be checked now).</returns>
    private async ValueTask<MySqlError?> CheckLoginDatabaseAsync(CancellationToken cancellationToken)
    {
        var hostgroup = _user!.DefaultHostgroup;
        var schema = _state.Schema!;
        if (_backends.LoginSchemas.AcceptedRecently(_user.Username, schema, hostgroup))
            return null;
        BackendConnection backend;
        try
        {
            backend = await _backends.AcquireAsync(hostgroup, _credentials!, PoolKey, _state.Schema, cancellationToken, withoutWaiting: true)
                .ConfigureAwait(false);
        }
        catch (BackendAcquireException ex)
        {
            // ProxySQL's own codes (no server now) leave the check to the first statement; a server's answer is final.
            return ex.Error.Code >= ErrorCodes.MaxConnectTimeout ? null : ex.Error;
        }
        _backend = backend;
        _backendHostgroup = hostgroup;
        try
        {
            var error = await StateSynchronizer.SyncAsync(_state, this, backend, cancellationToken).ConfigureAwait(false);
            ReleaseBackend(reusable: true);
            if (error is null)
                _backends.LoginSchemas.Accepted(_user.Username, schema, hostgroup);
            return error;
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or ObjectDisposedException)
        {
            DropDeadBackend(backend, "failed while the login's database was checked");
            return null;
        }
    }

    /// <summary>Answers the client's SSL request: the TLS handshake, then the login continues over TLS.</summary>
    private async ValueTask StartTlsAsync(FrontendTls tls, CancellationToken cancellationToken)
    {
        await tls.AcceptAsync(_transport, "client", cancellationToken).ConfigureAwait(false);
        _client.SwitchPipes(_transport.Input, _transport.Output);
    }

    private BackendPoolKey PoolKey => new(_user!.Username, _capabilities & BackendPoolKey.ClientVisible, _collation);

    private async ValueTask TrySendErrorAsync(MySqlError error)
    {
        try
        {
            await SendErrorAsync(error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private ValueTask SendErrorAsync(MySqlError error)
    {
        _stats.Globals.OnErrorGenerated();
        _client.WritePayload(error, static (w, e) => ErrorPacket.Write(w, e));
        return _client.FlushAsync();
    }

    private ValueTask SendOkAsync(ulong affectedRows = 0)
    {
        _client.WritePayload((this, affectedRows), static (w, s) => OkPacket.Write(w, s.affectedRows, 0, s.Item1._status, 0, s.Item1._capabilities));
        return _client.FlushAsync();
    }

    private void ReleaseBackend(bool reusable)
    {
        var backend = _backend;
        if (backend is null)
            return;
        _backend = null;
        _keepAttachedFor = 0;
        if (_state.Pins != PinReasons.None)
            backend.NeedsReset = true;
        // Profiles and status counters outlive COM_RESET_CONNECTION: such a connection is not handed to anyone else.
        _backends.Release(backend, reusable && (_state.Pins & PinReasons.SessionHistory) == 0);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id}: {User} logged in from {Remote}, schema {Schema}")]
    private partial void LogLoggedIn(uint id, string user, IPEndPoint? remote, string? schema);

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id} from {Remote}: login refused with {Error}: {Detail}")]
    private partial void LogBadLogin(uint id, IPEndPoint? remote, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "login refused: {Reason}")]
    private partial void LogLoginFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {Id} from {Remote} ended: {Reason}")]
    private partial void LogSessionError(uint id, IPEndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id} from {Remote}: connection closed ({Reason})")]
    private partial void LogClientGone(uint id, IPEndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "session {Id} from {Remote} failed unexpectedly")]
    private partial void LogSessionCrashed(uint id, IPEndPoint? remote, Exception exception);
}
