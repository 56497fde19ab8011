using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

public class ClientEd25519Tests
{
    [Fact]
    public void Signature_of_the_nonce_verifies_against_the_stored_form()
    {
        var nonce = ClientEd25519.CreateNonce();
        var stored = ClientEd25519.HashPassword("secret");

        Assert.Equal(ClientEd25519.StoredLength, stored.Length);
        var key = ClientEd25519.TryDecodeStored(stored);
        Assert.NotNull(key);
        Assert.True(ClientEd25519.Verify(ClientEd25519.Sign("secret", nonce), nonce, key));
        Assert.False(ClientEd25519.Verify(ClientEd25519.Sign("Secret", nonce), nonce, key));
        Assert.False(ClientEd25519.Verify([], nonce, key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("not*base64*at*all*but*forty*three*chars*ok")]
    public void Text_that_is_not_a_stored_key_is_not_decoded(string text) => Assert.Null(ClientEd25519.TryDecodeStored(text));
}
