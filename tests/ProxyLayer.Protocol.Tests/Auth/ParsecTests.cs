using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

public class ParsecTests
{
    // Computed with node's OpenSSL (crypto.pbkdf2Sync, then Ed25519 from the seed), not with this code: salt 00..11,
    // stored forms as MariaDB writes them, and the signature of 64 bytes of 0x07 (server || client scramble).
    private const string SecretStored = "P0:AAECAwQFBgcICQoLDA0ODxAR:vN8aAH3uMZDpgxY74WIyK93BSUh/uCItkwxrumXoIVk";
    private const string SecretSignature =
        "ebaaabf8ffc64129cd47efe2779274a7d80c4a617d32593a22a65d03df49528d98391f28d878275899ce75d6193fc9ffe7fb6819609ec1b0eefd32857e565605";
    private const string UnicodeStored = "P1:AAECAwQFBgcICQoLDA0ODxAR:Ae6V7758jNMfAbFhQqGkKnQNth4mSKY8Oi5KT74GbXI";

    [Theory]
    [InlineData("secret", SecretStored)]
    [InlineData("pässwörd", UnicodeStored)]
    public void The_stored_key_is_pbkdf2_sha512_then_ed25519_as_openssl_computes_it(string password, string stored)
    {
        var key = Parsec.TryParseStored(stored);
        Assert.NotNull(key);
        Assert.Equal(stored, key.Stored());
        Assert.Equal(key.PublicKey, Parsec.PublicKey(password, key.Salt, key.Factor));
        Assert.True(StoredPassword.Parse(stored).Matches(password));
        Assert.False(StoredPassword.Parse(stored).Matches(password + "x"));
        Assert.Equal(StoredPasswordKind.Parsec, StoredPassword.Parse(stored).Kind);
    }

    [Fact]
    public void A_signature_made_by_openssl_verifies_and_a_changed_one_does_not()
    {
        var key = Parsec.TryParseStored(SecretStored)!;
        var scramble = Enumerable.Repeat((byte)7, Parsec.ScrambleLength).ToArray();
        byte[] response = [.. scramble, .. Convert.FromHexString(SecretSignature)];

        Assert.True(Parsec.Verify(response, scramble, key.PublicKey));
        response[^1] ^= 1;
        Assert.False(Parsec.Verify(response, scramble, key.PublicKey));
        Assert.False(Parsec.Verify(response.AsSpan(0, 64), scramble, key.PublicKey));
    }

    [Fact]
    public void A_response_to_an_ext_salt_verifies_against_the_key_only_with_the_right_password()
    {
        var key = Parsec.CreateKey("secret", factor: 1);
        var scramble = ClientEd25519.CreateNonce();

        var response = Parsec.Respond("secret", scramble, key.ExtSalt());

        Assert.Equal(Parsec.ResponseLength, response.Length);
        Assert.True(Parsec.Verify(response, scramble, key.PublicKey));
        Assert.False(Parsec.Verify(Parsec.Respond("Secret", scramble, key.ExtSalt()), scramble, key.PublicKey));
        Assert.False(Parsec.Verify(response, ClientEd25519.CreateNonce(), key.PublicKey));
    }

    [Fact]
    public void The_ext_salt_is_read_bare_or_after_an_auth_more_data_byte()
    {
        byte[] bare = [(byte)'P', 2, 1, 2, 3];
        Assert.Equal(bare, Parsec.TryReadExtSalt(bare));
        Assert.Equal(bare, Parsec.TryReadExtSalt([0x01, .. bare]));
        Assert.Null(Parsec.TryReadExtSalt([(byte)'P', 9, 1, 2]));
        Assert.Null(Parsec.TryReadExtSalt([0x00, 0, 0]));
        Assert.Throws<ArgumentException>(() => Parsec.Respond("x", new byte[32], [(byte)'P', 7, 1]));
    }

    [Theory]
    [InlineData("P0:AAECAwQFBgcICQoLDA0ODxAR")]
    [InlineData("P9:AAECAwQFBgcICQoLDA0ODxAR:vN8aAH3uMZDpgxY74WIyK93BSUh/uCItkwxrumXoIVk")]
    [InlineData("P0::vN8aAH3uMZDpgxY74WIyK93BSUh/uCItkwxrumXoIVk")]
    [InlineData("P0:AAECAwQFBgcICQoLDA0ODxAR:short")]
    [InlineData("Q0:AAECAwQFBgcICQoLDA0ODxAR:vN8aAH3uMZDpgxY74WIyK93BSUh/uCItkwxrumXoIVk")]
    public void Text_that_is_not_a_stored_key_is_clear_text(string text)
    {
        Assert.Null(Parsec.TryParseStored(text));
        Assert.Equal(StoredPasswordKind.Clear, StoredPassword.Parse(text).Kind);
    }
}
