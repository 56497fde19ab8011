using ProxyLayer.Networking;

namespace ProxyLayer.Sessions;

/// <summary>What a frontend login needs beyond the account: the proxy's RSA key and the passwords it has learnt.</summary>
internal sealed class FrontendAuthContext(FrontendRsaKey rsaKey)
{
    public FrontendRsaKey RsaKey { get; } = rsaKey;
    public LearnedPasswords Learned { get; } = new();
}
