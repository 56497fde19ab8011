using ProxyLayer.Protocol.Auth;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// Authenticates a client again inside a session (COM_CHANGE_USER): whatever the client sent with the command, the
/// proxy asks for a fresh answer (an AuthSwitchRequest to the plugin the stored password needs) and checks it.
/// </summary>
internal static class FrontendReauthentication
{
    /// <param name="storedPassword">The account's password; for an unknown user any value, as the answer is refused anyway.</param>
    public static async ValueTask<ReauthenticationResult> RunAsync(PacketChannel channel, string username, string? storedPassword, bool overTls,
        FrontendAuthSettings auth, CancellationToken cancellationToken)
    {
        var request = new FrontendAuthRequest(username, StoredPassword.Parse(storedPassword), ClientPlugin: null, FirstResponse: [],
            FrontendHandshake.CreateNonce(), CanSwitch: true, overTls, auth.DefaultPlugin, auth.Context);
        var result = await FrontendAuthenticator.RunAsync(channel, request, cancellationToken).ConfigureAwait(false);
        // Out of order inside a session: the command loop's own check handles the next packet; here it is a refusal.
        return new ReauthenticationResult(result.IsClosed, result.HadPassword, result.Secrets);
    }
}

/// <summary>The outcome of <see cref="FrontendReauthentication.RunAsync"/>: <see cref="Secrets"/> is null on a wrong password.</summary>
internal sealed record ReauthenticationResult(bool IsClosed, bool HadPassword, FrontendSecrets? Secrets);
