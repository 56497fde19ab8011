using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Auth;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// Authenticates a client again inside a session (COM_CHANGE_USER): the proxy asks for a fresh
/// mysql_native_password answer with an AuthSwitchRequest and checks it, whatever the client first sent.
/// </summary>
internal static class FrontendReauthentication
{
    public static async ValueTask<ReauthenticationResult> RunAsync(PacketChannel channel, string? storedPassword, CancellationToken cancellationToken)
    {
        var nonce = FrontendHandshake.CreateNonce();
        var request = new AuthSwitchRequestPacket { PluginName = AuthPlugins.MysqlNativePassword, PluginData = nonce };
        channel.WritePayload(request, static (w, r) => r.Write(w));
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
        if (answer.IsClosed)
            return new ReauthenticationResult(true, false, null);
        var stage1 = MysqlNativePassword.Verify(answer.Payload.Span, nonce, storedPassword);
        return new ReauthenticationResult(false, !answer.Payload.IsEmpty, stage1);
    }
}

/// <summary>The outcome of <see cref="FrontendReauthentication.RunAsync"/>: <see cref="Stage1"/> is null on a wrong password.</summary>
internal sealed record ReauthenticationResult(bool IsClosed, bool HadPassword, byte[]? Stage1);
