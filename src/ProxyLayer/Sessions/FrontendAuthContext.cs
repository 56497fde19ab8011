using ProxyLayer.Networking;
using ProxyLayer.Stats;

namespace ProxyLayer.Sessions;

/// <summary>
/// What frontend logins share across sessions: the proxy's RSA key, the passwords it has learnt, and the refused
/// logins counted per user and address.
/// </summary>
internal sealed class FrontendAuthContext(FrontendRsaKey rsaKey)
{
    /// <summary>Set once at start-up (from the data directory) before the listeners open.</summary>
    public FrontendRsaKey RsaKey { get; set; } = rsaKey;
    public LearnedPasswords Learned { get; } = new();
    public LoginFailures Failures { get; } = new();
    /// <summary>Refused logins by interface and reason (the metrics' <c>proxylayer_client_auth_failures_total</c>).</summary>
    public AuthFailureCounts FailureCounts { get; } = new();
}
