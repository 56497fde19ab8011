using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

public class Ed25519Tests
{
    // RFC 8032 section 7.1, TEST 1 and TEST 3.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "af82",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void Rfc8032_vectors(string secret, string message, string publicKey, string signature)
    {
        var secretBytes = Convert.FromHexString(secret);
        var messageBytes = Convert.FromHexString(message);

        Assert.Equal(publicKey, Convert.ToHexStringLower(Ed25519.PublicKey(secretBytes)));
        Assert.Equal(signature, Convert.ToHexStringLower(Ed25519.Sign(secretBytes, messageBytes)));
        Assert.True(Ed25519.Verify(Convert.FromHexString(publicKey), messageBytes, Convert.FromHexString(signature)));
    }

    [Fact]
    public void A_changed_message_signature_or_key_does_not_verify()
    {
        var secret = "any length of secret, as MariaDB uses the password"u8.ToArray();
        var message = new byte[32];
        var publicKey = Ed25519.PublicKey(secret);
        var signature = Ed25519.Sign(secret, message);
        Assert.True(Ed25519.Verify(publicKey, message, signature));

        var otherMessage = (byte[])message.Clone();
        otherMessage[5] ^= 1;
        Assert.False(Ed25519.Verify(publicKey, otherMessage, signature));
        var otherSignature = (byte[])signature.Clone();
        otherSignature[40] ^= 1;
        Assert.False(Ed25519.Verify(publicKey, message, otherSignature));
        Assert.False(Ed25519.Verify(Ed25519.PublicKey("another"u8), message, signature));
        Assert.False(Ed25519.Verify(publicKey, message, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void A_signature_whose_scalar_is_not_reduced_is_refused()
    {
        var secret = "s"u8.ToArray();
        var signature = Ed25519.Sign(secret, []);
        signature[63] |= 0xF0; // S >= L: malleable form, RFC 8032 says reject
        Assert.False(Ed25519.Verify(Ed25519.PublicKey(secret), [], signature));
    }
}
