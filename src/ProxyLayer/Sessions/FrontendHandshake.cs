using System.Net;
using System.Security.Cryptography;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Auth;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// The server side of the connection phase, shared by the MySQL and admin listeners: greeting, the client's response,
/// and the password check (<see cref="FrontendAuthenticator"/>, which switches plugins as the stored password needs).
/// The caller sends the final OK (or its own error) so it can apply limits after authentication.
/// A response that is malformed, larger than <see cref="MaxLoginPayload"/> or out of sequence fails the login with
/// MariaDB's own answer (1043 Bad handshake, 1156 Got packets out of order), which the caller sends before closing.
/// </summary>
internal static class FrontendHandshake
{
    /// <summary>
    /// The largest payload read before login. A real response is a few hundred bytes (connection attributes included);
    /// with the bound, a length of megabytes claimed by a stranger is refused at its header, not waited for.
    /// </summary>
    public const int MaxLoginPayload = 16 * 1024;

    public static MySqlError BadHandshake { get; } = new(ErrorCodes.HandshakeError, "08S01", "Bad handshake");

    public static MySqlError PacketsOutOfOrder { get; } = new(ErrorCodes.NetPacketsOutOfOrder, "08S01", "Got packets out of order");

    /// <param name="startTls">
    /// Switches the connection (and <paramref name="channel"/>) to TLS; when given, CLIENT_SSL is offered and a client's
    /// SSL request is answered with the TLS handshake. Null: no TLS, and an SSL request gets a clear error.
    /// </param>
    /// <param name="announced">The version and capabilities the greeting announces (<see cref="FrontendGreeting"/>).</param>
    public static async ValueTask<FrontendLogin> RunAsync(PacketChannel channel, uint connectionId, FrontendGreeting announced,
        IPEndPoint? remote, Func<string, FrontendAccount?> findAccount, Func<CancellationToken, ValueTask>? startTls,
        FrontendAuthSettings auth, CancellationToken cancellationToken)
    {
        var afterLogin = channel.MaxPayloadLength;
        channel.MaxPayloadLength = Math.Min(afterLogin, MaxLoginPayload);
        try
        {
            return await ConverseAsync(channel, connectionId, announced, remote, findAccount, startTls, auth, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProtocolException or PacketTooLargeException)
        {
            // The error goes out numbered after the packet the client should have sent, as MariaDB numbers it.
            channel.NextSequenceId = (byte)(channel.LastSequenceId + 1);
            return FrontendLogin.Failed(BadHandshake, ex.Message);
        }
        finally
        {
            channel.MaxPayloadLength = afterLogin;
        }
    }

    private static async ValueTask<FrontendLogin> ConverseAsync(PacketChannel channel, uint connectionId, FrontendGreeting announced,
        IPEndPoint? remote, Func<string, FrontendAccount?> findAccount, Func<CancellationToken, ValueTask>? startTls,
        FrontendAuthSettings auth, CancellationToken cancellationToken)
    {
        var nonce = CreateNonce();
        var offered = startTls is null ? announced.Capabilities : announced.Capabilities | CapabilityFlags.Ssl;
        var greeting = new HandshakeV10Packet
        {
            ServerVersion = announced.Version,
            ConnectionId = connectionId,
            AuthPluginData = nonce,
            Capabilities = offered,
            CharacterSet = CharacterSets.Utf8Mb4GeneralCi,
            Status = ServerStatusFlags.Autocommit,
            AuthPluginName = auth.DefaultPlugin,
        };
        channel.NextSequenceId = 0;
        channel.WritePayload(greeting, static (w, g) => g.Write(w));
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);

        var read = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
        if (read.IsClosed)
            return FrontendLogin.Closed;
        if (OutOfOrder(channel, 1) is { } outOfOrder)
            return outOfOrder;
        var overTls = false;
        if (HandshakeResponse41Packet.IsSslRequest(read.Payload.Span))
        {
            if (startTls is null)
                return FrontendLogin.Failed(new MySqlError(ErrorCodes.HandshakeError, "08S01", "this interface does not offer SSL (see mysql-have_ssl)"));
            await startTls(cancellationToken).ConfigureAwait(false);
            overTls = true;
            // The whole response follows over TLS, numbered after the SSL request.
            read = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsClosed)
                return FrontendLogin.Closed;
            if (OutOfOrder(channel, 2) is { } outOfOrderOverTls)
                return outOfOrderOverTls;
            if (HandshakeResponse41Packet.IsSslRequest(read.Payload.Span))
                throw new ProtocolException("a second SSL request inside TLS");
        }
        var response = HandshakeResponse41Packet.Read(read.Payload.Span);
        var capabilities = response.Capabilities & offered;
        var authResponse = response.AuthResponse;

        var host = remote?.Address.ToString() ?? "unknown";
        var account = findAccount(response.Username);
        FrontendSecrets? secrets = null;
        var usedPassword = authResponse.Length > 0;
        if (account is not null)
        {
            var canSwitch = (capabilities & CapabilityFlags.PluginAuth) != 0;
            var request = new FrontendAuthRequest(response.Username, StoredPassword.Parse(account.Password),
                response.AuthPluginName ?? AuthPlugins.MysqlNativePassword, authResponse.ToArray(), nonce, canSwitch, overTls,
                auth.DefaultPlugin, auth.Context);
            var result = await FrontendAuthenticator.RunAsync(channel, request, cancellationToken).ConfigureAwait(false);
            if (result.IsClosed)
                return FrontendLogin.Closed;
            if (result.Failure is not null)
                return result.Failure;
            secrets = result.Secrets;
            usedPassword = result.HadPassword;
        }
        if (secrets is null)
        {
            var usingPassword = usedPassword ? "YES" : "NO";
            return FrontendLogin.Failed(new MySqlError(ErrorCodes.AccessDenied, "28000",
                $"Access denied for user '{response.Username}'@'{host}' (using password: {usingPassword})")) with { Username = response.Username };
        }
        return new FrontendLogin
        {
            OverTls = overTls,
            Username = response.Username,
            Account = account,
            Capabilities = capabilities,
            Collation = response.CharacterSet,
            Database = response.Database,
            Secrets = secrets,
            ConnectAttributes = response.ConnectAttributes,
        };
    }

    /// <summary>
    /// MariaDB's check of a packet's number: a client that skips or repeats one gets 1156, numbered as the packet it
    /// should have sent.
    /// </summary>
    internal static FrontendLogin? OutOfOrder(PacketChannel channel, byte expected)
    {
        if (channel.FirstSequenceId == expected)
            return null;
        channel.NextSequenceId = expected;
        return FrontendLogin.Failed(PacketsOutOfOrder, $"packet number {channel.FirstSequenceId} where {expected} was due");
    }

    /// <summary>20 random printable bytes: the scramble must contain no NUL, as its second part is NUL-terminated.</summary>
    internal static byte[] CreateNonce()
    {
        var nonce = new byte[MysqlNativePassword.ScrambleLength];
        RandomNumberGenerator.Fill(nonce);
        for (var i = 0; i < nonce.Length; i++)
            nonce[i] = (byte)(33 + (nonce[i] % 94));
        return nonce;
    }
}

/// <summary>
/// How an interface authenticates: the plugin its greeting names (<c>mysql-default_authentication_plugin</c>) and the
/// proxy's RSA key and learnt passwords.
/// </summary>
internal sealed record FrontendAuthSettings(string DefaultPlugin, FrontendAuthContext Context);

/// <summary>An account a frontend may log in as: its stored password (any <see cref="StoredPassword"/> form) and the caller's own data.</summary>
internal sealed record FrontendAccount(string Username, string? Password, object? Tag = null);

/// <summary>The outcome of <see cref="FrontendHandshake.RunAsync"/>.</summary>
internal sealed record FrontendLogin
{
    public static FrontendLogin Closed { get; } = new() { IsClosed = true };

    public static FrontendLogin Failed(MySqlError error, string? detail = null) => new() { Error = error, Detail = detail };

    public bool IsClosed { get; init; }
    public MySqlError? Error { get; init; }
    /// <summary>Why the handshake was refused, for the log (the client gets only MariaDB's terse message).</summary>
    public string? Detail { get; init; }
    /// <summary>The client asked for TLS and the rest of the login ran over it.</summary>
    public bool OverTls { get; init; }
    public string Username { get; init; } = "";
    public FrontendAccount? Account { get; init; }
    public CapabilityFlags Capabilities { get; init; }
    public int Collation { get; init; }
    public string? Database { get; init; }
    /// <summary>What the login taught the proxy about the password, for its own logins to servers.</summary>
    public FrontendSecrets Secrets { get; init; } = new(null, null, null);
    public System.Collections.Immutable.ImmutableArray<KeyValuePair<string, string>> ConnectAttributes { get; init; } = [];
}
