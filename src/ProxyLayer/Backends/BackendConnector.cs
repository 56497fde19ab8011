using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using ProxyLayer.Networking;
using ProxyLayer.Networking.Epoll;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Auth;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Backends;

/// <summary>Opens a connection to a backend and logs in as a client would: handshake, authentication, plugin switches.</summary>
internal static class BackendConnector
{
    /// <summary>Capabilities the proxy always wants from a backend, whatever the client negotiated.</summary>
    private const CapabilityFlags Base =
        CapabilityFlags.LongFlag | CapabilityFlags.Protocol41 | CapabilityFlags.Transactions | CapabilityFlags.SecureConnection |
        CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLenencClientData | CapabilityFlags.ConnectWithDb |
        CapabilityFlags.ConnectAttrs;

    private static readonly ImmutableArray<KeyValuePair<string, string>> ConnectAttributes =
        [new("_client_name", "proxylayer"), new("program_name", "proxylayer")];

    /// <summary>What the proxy's own login needs whatever the client negotiated (a fast_forward session's connection).</summary>
    private const CapabilityFlags LoginOnly =
        CapabilityFlags.LongFlag | CapabilityFlags.Protocol41 | CapabilityFlags.Transactions | CapabilityFlags.SecureConnection |
        CapabilityFlags.PluginAuth | CapabilityFlags.ConnectWithDb;

    /// <param name="key">Its <see cref="BackendPoolKey.Link"/> says whether to use TLS and compression.</param>
    /// <param name="tls">The TLS settings when <c>key.Link.UseSsl</c>; ignored otherwise.</param>
    /// <param name="exactCapabilities">
    /// Negotiate every capability of <paramref name="key"/> and, beyond what the login needs, nothing else: for a
    /// connection whose bytes are relayed unread, where even COM_CHANGE_USER must be framed as the client frames it
    /// (connect attributes, length-encoded auth data). A compressed client's connection is compressed too, and carries
    /// the client's frames as they are: the proxy adds no compression layer of its own.
    /// </param>
    public static async Task<BackendConnection> ConnectAsync(BackendServer server, BackendCredentials credentials,
        BackendPoolKey key, string? schema, BackendTls? tls, TimeSpan timeout, CancellationToken cancellationToken, bool exactCapabilities = false)
    {
        if (key.Link.UseSsl && tls is null)
            throw new ArgumentException("use_ssl needs TLS settings", nameof(tls));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        SocketTransport? transport = null;
        PacketChannel? channel = null;
        try
        {
            try
            {
                transport = await ConnectSocketAsync(socket, server, deadline.Token).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new BackendConnectException($"cannot connect to {server}: {ex.Message}", null, ex);
            }
            channel = new PacketChannel(transport.Input, transport.Output);
            var connection = await LoginAsync(server, transport, channel, credentials, key, schema, tls, exactCapabilities, deadline.Token).ConfigureAwait(false);
            server.OnConnectionOpened();
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync(socket, transport, channel).ConfigureAwait(false);
            throw new BackendConnectException($"timed out after {timeout.TotalMilliseconds:0} ms connecting to {server}");
        }
        catch (AuthenticationException ex)
        {
            await CloseAsync(socket, transport, channel).ConfigureAwait(false);
            throw new BackendConnectException($"TLS handshake with {server} failed: {TlsFailure(ex)}", null, ex);
        }
        catch (Exception ex) when (ex is IOException or ProtocolException)
        {
            await CloseAsync(socket, transport, channel).ConfigureAwait(false);
            throw new BackendConnectException($"connection to {server} failed during login: {ex.Message}", null, ex);
        }
        catch
        {
            await CloseAsync(socket, transport, channel).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects on the proxy's epoll engine where it runs (the socket is then never seen by .NET's), else on .NET's.</summary>
    private static async ValueTask<SocketTransport> ConnectSocketAsync(Socket socket, BackendServer server, CancellationToken cancellationToken)
    {
        if (EpollEngine.Shared is not { } engine)
        {
            await socket.ConnectAsync(new DnsEndPoint(server.Hostname, server.Port), cancellationToken).ConfigureAwait(false);
            return new SocketTransport(socket, zeroByteReads: false);
        }
        var addresses = IPAddress.TryParse(server.Hostname, out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(server.Hostname, cancellationToken).ConfigureAwait(false);
        var stream = await EpollSocketStream.ConnectAsync(socket, addresses, server.Port, engine.CurrentOrNextLoop(), cancellationToken).ConfigureAwait(false);
        return SocketTransport.ForConnected(socket, stream);
    }

    private static async Task CloseAsync(Socket socket, SocketTransport? transport, PacketChannel? channel)
    {
        channel?.Dispose();
        if (transport is not null)
            await transport.DisposeAsync().ConfigureAwait(false);
        else
            socket.Dispose();
    }

    private static async Task<BackendConnection> LoginAsync(BackendServer server, SocketTransport transport, PacketChannel channel,
        BackendCredentials credentials, BackendPoolKey key, string? schema, BackendTls? tls, bool exactCapabilities,
        CancellationToken cancellationToken)
    {
        var greeting = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
        if (greeting.IsClosed)
            throw new BackendConnectException($"{server} closed the connection before its greeting");
        if (ErrorPacket.IsError(greeting.Payload.Span))
            throw ServerRefused(server, greeting.Payload.Span);
        var handshake = HandshakeV10Packet.Read(greeting.Payload.Span);
        server.OnGreeting(handshake.ServerVersion, handshake.Capabilities);

        var wanted = exactCapabilities ? LoginOnly | key.Capabilities : Base | (key.Capabilities & BackendPoolKey.ClientVisible);
        var capabilities = wanted & handshake.Capabilities;
        if (!handshake.IsMariaDbExtended)
            capabilities |= CapabilityFlags.LongPassword & handshake.Capabilities;
        if (schema is null)
            capabilities &= ~CapabilityFlags.ConnectWithDb;
        var missing = key.Capabilities & BackendPoolKey.ClientVisible & ~capabilities;
        // A relayed compressed client needs the server to speak the compressed protocol too: its frames go through as they are.
        if (exactCapabilities)
            missing |= key.Capabilities & CapabilityFlags.Compress & ~capabilities;
        if (missing != 0)
            throw new BackendConnectException($"{server} does not offer capabilities the client negotiated: {missing}");
        // Like libmariadb (so ProxySQL): compression is asked for when the server offers it, else the link stays plain.
        if (key.Link.Compression && (handshake.Capabilities & CapabilityFlags.Compress) != 0)
        {
            if (!CompressedPacketFramer.IsSupported)
                throw new BackendConnectException($"compression=1 for {server} needs zlib ({Zlib}), which cannot be loaded");
            capabilities |= CapabilityFlags.Compress;
        }
        if (key.Link.UseSsl)
        {
            if ((handshake.Capabilities & CapabilityFlags.Ssl) == 0)
                throw new BackendConnectException($"{server} does not offer SSL, but use_ssl=1 for it");
            capabilities |= CapabilityFlags.Ssl;
        }

        var plugin = handshake.AuthPluginName;
        var nonce = handshake.AuthPluginData;
        var response = new HandshakeResponse41Packet
        {
            Capabilities = capabilities,
            CharacterSet = (byte)key.Collation,
            MaxPacketSize = 1 << 30,
            Username = credentials.Username,
            AuthResponse = AuthResponse(server, plugin, nonce, credentials, key.Link.UseSsl),
            Database = schema,
            AuthPluginName = plugin,
            ConnectAttributes = ConnectAttributes,
        };
        channel.NextSequenceId = (byte)(channel.LastSequenceId + 1);
        if (key.Link.UseSsl)
        {
            channel.WritePayload(response, static (w, r) => r.WriteSslRequest(w));
            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            var options = tls!.ClientOptions(server.Hostname);
            await transport.StartTlsAsync((stream, token) => stream.AuthenticateAsClientAsync(options, token), cancellationToken).ConfigureAwait(false);
            channel.SwitchPipes(transport.Input, transport.Output);
        }
        channel.WritePayload(response, static (w, r) => r.Write(w));
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);

        var status = await AuthenticateAsync(server, channel, capabilities, credentials, plugin, nonce, key.Link.UseSsl, cancellationToken)
            .ConfigureAwait(false);
        // The login's OK is the last uncompressed packet: both sides compress from here on. A connection negotiated
        // exactly as its client did (fast_forward) carries the client's frames as they are: no compression layer here.
        if ((capabilities & CapabilityFlags.Compress) != 0 && !exactCapabilities)
        {
            transport.StartCompression();
            channel.SwitchPipes(transport.Input, transport.Output);
        }
        return new BackendConnection(server, transport, channel, key, capabilities, handshake.ConnectionId,
            handshake.ServerVersion, schema, Environment.TickCount64) { Status = status, Scramble = handshake.AuthPluginData, Tls = tls };
    }

    /// <summary>
    /// Logs an idle connection in again as another user with COM_CHANGE_USER, which costs one round trip instead of
    /// a new connection; the server resets the session. Throws <see cref="BackendConnectException"/> if refused (the
    /// server then closes the connection).
    /// </summary>
    public static async Task ChangeUserAsync(BackendConnection connection, BackendCredentials credentials, BackendPoolKey key,
        string? schema, CancellationToken cancellationToken)
    {
        var channel = connection.Channel;
        var plugin = AuthPlugins.MysqlNativePassword;
        var request = new ChangeUserPacket
        {
            Username = credentials.Username,
            AuthResponse = AuthResponse(connection.Server, plugin, connection.Scramble, credentials, connection.Tls is not null),
            Database = schema,
            CharacterSet = (ushort)key.Collation,
            AuthPluginName = plugin,
            ConnectAttributes = ConnectAttributes,
        };
        channel.StartCommand();
        channel.WritePayload((request, connection.Capabilities), static (w, r) => r.request.Write(w, r.Capabilities));
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Status = await AuthenticateAsync(connection.Server, channel, connection.Capabilities, credentials, plugin,
                connection.Scramble, connection.Tls is not null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.MarkBroken();
            throw;
        }
        connection.OnUserChanged(key, schema);
    }

    /// <summary>Answers the server until it accepts (returns its status) or refuses the login; follows auth switches.</summary>
    private static async Task<ServerStatusFlags> AuthenticateAsync(BackendServer server, PacketChannel channel, CapabilityFlags capabilities,
        BackendCredentials credentials, string plugin, byte[] nonce, bool overTls, CancellationToken cancellationToken)
    {
        while (true)
        {
            var reply = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
            if (reply.IsClosed)
                throw new BackendConnectException($"{server} closed the connection during authentication");
            var payload = reply.Payload.Span;
            if (OkPacket.IsOk(payload, capabilities) && payload[0] == OkPacket.Signature)
            {
                return OkPacket.Read(payload, capabilities).Status;
            }
            if (ErrorPacket.IsError(payload))
                throw ServerRefused(server, payload);
            if (AuthSwitchRequestPacket.IsAuthSwitchRequest(payload))
            {
                var request = AuthSwitchRequestPacket.Read(payload);
                plugin = request.PluginName;
                nonce = plugin is ClientEd25519.PluginName or Parsec.PluginName ? request.RawPluginData : request.PluginData;
                var answer = AuthResponse(server, plugin, nonce, credentials, overTls);
                channel.WritePayload(answer);
                await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            // parsec: the ext-salt the empty answer to the switch asked for; the signed answer goes back.
            if (plugin == Parsec.PluginName && Parsec.TryReadExtSalt(payload) is { } extSalt)
            {
                channel.WritePayload(Parsec.Respond(credentials.ClearPassword!, nonce.AsSpan(0, Parsec.ScrambleLength), extSalt));
                await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (AuthMoreDataPacket.IsAuthMoreData(payload) && plugin == AuthPlugins.CachingSha2Password)
            {
                var data = AuthMoreDataPacket.ReadData(payload);
                if (data.Length == 1 && data[0] == CachingSha2Password.FastAuthSuccess)
                    continue;
                var password = credentials.ClearPassword ?? throw new BackendConnectException(
                    $"{server} needs caching_sha2_password full authentication for '{credentials.Username}', which needs the clear-text password: the user is stored hashed and this client's login did not reveal it (a caching_sha2_password client's full authentication does)");
                if (data.Length == 1 && data[0] == CachingSha2Password.PerformFullAuthentication)
                {
                    // Over TLS the password goes as it is; without, the server's RSA key is asked for first.
                    if (overTls)
                        channel.WritePayload([.. Encoding.UTF8.GetBytes(password), 0]);
                    else
                        channel.WritePayload([CachingSha2Password.RequestPublicKey]);
                    await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                // Anything else is the server's public key in PEM form.
                var pem = Encoding.ASCII.GetString(data);
                channel.WritePayload(CachingSha2Password.EncryptPassword(password, nonce, pem));
                await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw new BackendConnectException($"{server} sent an unexpected packet during authentication (0x{payload[0]:X2})");
        }
    }

    private static byte[] AuthResponse(BackendServer server, string plugin, byte[] nonce, BackendCredentials credentials, bool overTls)
    {
        switch (plugin)
        {
            case AuthPlugins.MysqlNativePassword:
                if (credentials.ClearPassword is not null)
                    return MysqlNativePassword.Scramble(credentials.ClearPassword, nonce);
                return credentials.NativeStage1 is { Length: 20 } stage1 ? MysqlNativePassword.ScrambleWithStage1(stage1, nonce) : [];
            case AuthPlugins.CachingSha2Password:
                if (credentials.ClearPassword is not null)
                    return CachingSha2Password.Scramble(credentials.ClearPassword, nonce);
                return credentials.Sha256Stage1 is { Length: 32 } sha256 ? CachingSha2Password.ScrambleWithStage1(sha256, nonce) : [];
            case ClientEd25519.PluginName:
                // The signature needs the password itself: nothing a hashed user's client login reveals will do.
                if (credentials.ClearPassword is null)
                    throw new BackendConnectException($"{server} asks for client_ed25519 for '{credentials.Username}', which needs the clear-text password; the user is stored hashed");
                if (nonce.Length < ClientEd25519.NonceLength)
                    throw new BackendConnectException($"{server} sent a client_ed25519 nonce of {nonce.Length} bytes, expected {ClientEd25519.NonceLength}");
                return ClientEd25519.Sign(credentials.ClearPassword, nonce.AsSpan(0, ClientEd25519.NonceLength));
            case Parsec.PluginName:
                // Like client_ed25519, a signature with a key stretched from the password: only the clear text will do.
                if (credentials.ClearPassword is null)
                    throw new BackendConnectException($"{server} asks for parsec for '{credentials.Username}', which needs the clear-text password; the user is stored hashed");
                if (nonce.Length < Parsec.ScrambleLength)
                    throw new BackendConnectException($"{server} sent a parsec scramble of {nonce.Length} bytes, expected {Parsec.ScrambleLength}");
                return []; // asks for the ext-salt
            case AuthPlugins.ClearPassword when overTls && credentials.ClearPassword is not null:
                return [.. Encoding.UTF8.GetBytes(credentials.ClearPassword), 0];
            case AuthPlugins.ClearPassword:
                throw new BackendConnectException($"{server} asks for mysql_clear_password, which the proxy refuses to send without TLS");
            default:
                throw new BackendConnectException($"{server} asks for authentication plugin '{plugin}', which the proxy does not support");
        }
    }

    private const string Zlib = "libz.so.1";

    /// <summary>The innermost cause: SslStream wraps the interesting part (untrusted chain, protocol mismatch).</summary>
    private static string TlsFailure(AuthenticationException ex) =>
        ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;

    private static BackendConnectException ServerRefused(BackendServer server, ReadOnlySpan<byte> payload)
    {
        var error = ErrorPacket.Read(payload);
        var mySqlError = new MySqlError(error.ErrorCode, error.SqlStateText, error.MessageText);
        return new BackendConnectException($"{server} refused the login: {mySqlError.Code} {mySqlError.Message}", mySqlError);
    }
}
