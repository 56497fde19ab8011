using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Auth;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// The password check of a frontend login (and of COM_CHANGE_USER), for every plugin the proxy serves:
/// mysql_native_password, caching_sha2_password (fast path, and full authentication over TLS or with the proxy's RSA
/// key), client_ed25519, parsec, and mysql_clear_password over TLS only. The plugin follows the stored password's form;
/// a clear-text one takes the client's plugin if the proxy serves it, else <c>mysql-default_authentication_plugin</c>.
/// A client that started with another plugin is switched (AuthSwitchRequest). The caller sends the final OK or error.
/// </summary>
internal static class FrontendAuthenticator
{
    /// <param name="clientPlugin">The plugin the client's first answer was made with; null: make it switch whatever it used.</param>
    /// <param name="canSwitch">False for a client without CLIENT_PLUGIN_AUTH: it can only answer mysql_native_password.</param>
    public static async ValueTask<FrontendAuthResult> RunAsync(PacketChannel channel, FrontendAuthRequest request, CancellationToken cancellationToken)
    {
        var stored = request.Stored;
        var plugin = request.CanSwitch ? request.ClientPlugin : AuthPlugins.MysqlNativePassword;
        var target = request.CanSwitch ? ChoosePlugin(stored.Kind, plugin, request.OverTls, request.DefaultPlugin) : AuthPlugins.MysqlNativePassword;
        var nonce = request.Nonce;
        var answer = request.FirstResponse;
        // client_ed25519 and parsec sign a 32-byte nonce, never the greeting's 20 bytes: they always start with a switch.
        // A client that began with a plugin other than the greeting's may have sent no answer at all (libmariadb does):
        // ask again.
        var signs = target is ClientEd25519.PluginName or Parsec.PluginName;
        if (plugin != target || signs || (request.CanSwitch && plugin != request.GreetingPlugin))
        {
            if (signs)
                nonce = ClientEd25519.CreateNonce();
            var switchRequest = new AuthSwitchRequestPacket
            {
                PluginName = target,
                PluginData = nonce,
                NulTerminated = !signs,
            };
            channel.WritePayload(switchRequest, static (w, r) => r.Write(w));
            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            var read = await ReadAnswerAsync(channel, cancellationToken).ConfigureAwait(false);
            if (read.Outcome is not null)
                return read.Outcome;
            answer = read.Payload!;
        }
        return target switch
        {
            AuthPlugins.CachingSha2Password => await CachingSha2Async(channel, request, nonce, answer, cancellationToken).ConfigureAwait(false),
            ClientEd25519.PluginName => Ed25519(request, nonce, answer),
            Parsec.PluginName => await ParsecAsync(channel, request, nonce, answer, cancellationToken).ConfigureAwait(false),
            AuthPlugins.ClearPassword => ClearOverTls(request, answer),
            _ => Native(request, nonce, answer),
        };
    }

    /// <summary>
    /// The plugin a login runs with: mysql_clear_password when the client starts with it over TLS (checked against any
    /// stored form, and the password learnt for the backends); otherwise the stored form decides, and for clear text
    /// the client's choice if served, else the default.
    /// </summary>
    internal static string ChoosePlugin(StoredPasswordKind stored, string? clientPlugin, bool overTls, string defaultPlugin) => stored switch
    {
        _ when overTls && clientPlugin == AuthPlugins.ClearPassword && stored != StoredPasswordKind.Empty => AuthPlugins.ClearPassword,
        StoredPasswordKind.Native => AuthPlugins.MysqlNativePassword,
        StoredPasswordKind.CachingSha2 => AuthPlugins.CachingSha2Password,
        StoredPasswordKind.Ed25519 => ClientEd25519.PluginName,
        StoredPasswordKind.Parsec => Parsec.PluginName,
        _ => clientPlugin switch
        {
            AuthPlugins.MysqlNativePassword or AuthPlugins.CachingSha2Password or ClientEd25519.PluginName or Parsec.PluginName => clientPlugin,
            AuthPlugins.ClearPassword when overTls => clientPlugin,
            _ => defaultPlugin,
        },
    };

    private static FrontendAuthResult Native(FrontendAuthRequest request, byte[] nonce, byte[] answer)
    {
        var stored = request.Stored;
        var stage1 = MysqlNativePassword.Verify(answer, nonce, stored.Kind == StoredPasswordKind.Empty ? null : stored.Text);
        if (stage1 is null)
            return FrontendAuthResult.Denied(answer.Length > 0);
        // A *HEX user whose password was learnt (a clear-password login over TLS) can also log in to servers that need it.
        var clear = stored.ClearText ?? request.Context.Learned.Find(request.Username, stored.Text);
        return FrontendAuthResult.Accepted(new FrontendSecrets(clear, stage1.Length == 20 ? stage1 : null, null));
    }

    private static FrontendAuthResult Ed25519(FrontendAuthRequest request, byte[] nonce, byte[] answer)
    {
        var stored = request.Stored;
        var publicKey = stored.Ed25519PublicKey ?? (stored.ClearText is { } clear ? ClientEd25519.PublicKey(clear) : null);
        if (publicKey is null || !ClientEd25519.Verify(answer, nonce, publicKey))
            return FrontendAuthResult.Denied(answer.Length > 0);
        return FrontendAuthResult.Accepted(new FrontendSecrets(stored.ClearText, null, null));
    }

    /// <summary>
    /// PARSEC: the client's answer to the switch asks for the ext-salt (an empty packet); the signed answer follows it.
    /// A clear-text user gets a key made for this login, with a fresh salt: the client cannot tell it from a stored one.
    /// </summary>
    private static async ValueTask<FrontendAuthResult> ParsecAsync(PacketChannel channel, FrontendAuthRequest request, byte[] nonce, byte[] answer,
        CancellationToken cancellationToken)
    {
        var stored = request.Stored;
        var key = stored.ParsecKey ?? (stored.ClearText is { } clear ? Parsec.CreateKey(clear) : null);
        if (answer.Length != 0 || key is null)
            return FrontendAuthResult.Denied(true);
        channel.WritePayload(key.ExtSalt());
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var read = await ReadAnswerAsync(channel, cancellationToken).ConfigureAwait(false);
        if (read.Outcome is not null)
            return read.Outcome;
        if (!Parsec.Verify(read.Payload!, nonce, key.PublicKey))
            return FrontendAuthResult.Denied(true);
        return FrontendAuthResult.Accepted(new FrontendSecrets(stored.ClearText, null, null));
    }

    private static FrontendAuthResult ClearOverTls(FrontendAuthRequest request, byte[] answer)
    {
        var password = CachingSha2Password.PasswordFromNulTerminated(answer);
        return Checked(request, password, answer.Length > 0 && answer[0] != 0);
    }

    private static async ValueTask<FrontendAuthResult> CachingSha2Async(PacketChannel channel, FrontendAuthRequest request, byte[] nonce, byte[] answer,
        CancellationToken cancellationToken)
    {
        var stored = request.Stored;
        // An empty answer is how every client says "no password".
        if (answer.Length == 0 || (answer.Length == 1 && answer[0] == 0))
            return stored.Kind == StoredPasswordKind.Empty ? FrontendAuthResult.Accepted(new FrontendSecrets("", null, null)) : FrontendAuthResult.Denied(false);
        var known = stored.ClearText ?? request.Context.Learned.Find(request.Username, stored.Text);
        if (known is not null)
        {
            // The fast path: the proxy knows SHA256(SHA256(password)), as a MySQL server with the user in its cache.
            var stage1 = CachingSha2Password.VerifyScramble(answer, nonce, CachingSha2Password.Stage2(known));
            if (stage1 is null)
                return FrontendAuthResult.Denied(true);
            channel.WritePayload([AuthMoreDataPacket.Signature, CachingSha2Password.FastAuthSuccess]);
            return FrontendAuthResult.Accepted(new FrontendSecrets(known, null, stage1));
        }

        // Full authentication: the clear text, over TLS as it is, else encrypted with the proxy's public key.
        channel.WritePayload([AuthMoreDataPacket.Signature, CachingSha2Password.PerformFullAuthentication]);
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var read = await ReadAnswerAsync(channel, cancellationToken).ConfigureAwait(false);
        if (read.Outcome is not null)
            return read.Outcome;
        var data = read.Payload!;
        if (request.OverTls)
            return Checked(request, CachingSha2Password.PasswordFromNulTerminated(data), true);
        if (data is [CachingSha2Password.RequestPublicKey])
        {
            var pem = request.Context.RsaKey.PublicPem;
            var packet = new byte[pem.Length + 1];
            packet[0] = AuthMoreDataPacket.Signature;
            pem.CopyTo(packet, 1);
            channel.WritePayload(packet);
            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            read = await ReadAnswerAsync(channel, cancellationToken).ConfigureAwait(false);
            if (read.Outcome is not null)
                return read.Outcome;
            data = read.Payload!;
        }
        // A client that already had the key sends the encrypted block at once; clear text without TLS decrypts to nothing.
        var password = CachingSha2Password.DecryptPassword(request.Context.RsaKey.Key, data, nonce);
        return password is null ? FrontendAuthResult.Denied(true) : Checked(request, password, true);
    }

    /// <summary>Checks a clear-text password against the stored form and remembers it for the fast path and the backends.</summary>
    private static FrontendAuthResult Checked(FrontendAuthRequest request, string password, bool hadPassword)
    {
        var stored = request.Stored;
        if (!stored.Matches(password))
            return FrontendAuthResult.Denied(hadPassword);
        if (stored.ClearText is null)
            request.Context.Learned.Remember(request.Username, stored.Text, password);
        return FrontendAuthResult.Accepted(new FrontendSecrets(password, null, null));
    }

    private static async ValueTask<(FrontendAuthResult? Outcome, byte[]? Payload)> ReadAnswerAsync(PacketChannel channel, CancellationToken cancellationToken)
    {
        var expected = channel.NextSequenceId;
        var read = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
        if (read.IsClosed)
            return (FrontendAuthResult.Closed, null);
        if (FrontendHandshake.OutOfOrder(channel, expected) is { } outOfOrder)
            return (FrontendAuthResult.Failed(outOfOrder), null);
        return (null, read.Payload.ToArray());
    }
}

/// <summary>One login to check: the account's stored password, the client's first answer and how it was made.</summary>
internal sealed record FrontendAuthRequest(string Username, StoredPassword Stored, string? ClientPlugin, byte[] FirstResponse, byte[] Nonce,
    bool CanSwitch, bool OverTls, string DefaultPlugin, FrontendAuthContext Context)
{
    /// <summary>The plugin the greeting named: only an answer made with it used the greeting's nonce.</summary>
    public string? GreetingPlugin { get; init; } = DefaultPlugin;
}

/// <summary>
/// What a successful login taught the proxy about the password, for its own logins to servers as this user: the clear
/// text, SHA1(password) (mysql_native_password) or SHA256(password) (caching_sha2_password's fast path).
/// </summary>
internal sealed record FrontendSecrets(string? ClearPassword, byte[]? NativeStage1, byte[]? Sha256Stage1)
{
    public override string ToString() => "FrontendSecrets(***)";
}

/// <summary>The outcome of <see cref="FrontendAuthenticator.RunAsync"/>.</summary>
internal sealed record FrontendAuthResult
{
    public static FrontendAuthResult Closed { get; } = new() { IsClosed = true };

    public static FrontendAuthResult Denied(bool hadPassword) => new() { HadPassword = hadPassword };

    public static FrontendAuthResult Failed(FrontendLogin failure) => new() { Failure = failure };

    public static FrontendAuthResult Accepted(FrontendSecrets secrets) => new() { Secrets = secrets, HadPassword = true };

    public bool IsClosed { get; init; }
    /// <summary>A protocol failure (out of order) with its own error, as <see cref="FrontendHandshake"/> reports it.</summary>
    public FrontendLogin? Failure { get; init; }
    /// <summary>Null: wrong password (or no such plugin answer); the caller answers 1045.</summary>
    public FrontendSecrets? Secrets { get; init; }
    public bool HadPassword { get; init; }
}
