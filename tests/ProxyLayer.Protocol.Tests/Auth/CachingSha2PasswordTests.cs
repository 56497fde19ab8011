using System.Security.Cryptography;
using System.Text;
using ProxyLayer.Protocol.Auth;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Auth;

public class CachingSha2PasswordTests
{
    private static readonly byte[] Nonce = Hex("1F 2E 3D 4C 5B 6A 79 08 17 26 35 44 53 62 71 0F 1E 2D 3C 4B");

    /// <summary>SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce), from the definition.</summary>
    private static byte[] Expected(string password, byte[] nonce)
    {
        var stage1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var stage2 = SHA256.HashData(stage1);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(stage2);
        hash.AppendData(nonce);
        var mask = hash.GetHashAndReset();
        var result = new byte[32];
        for (var i = 0; i < result.Length; i++)
            result[i] = (byte)(stage1[i] ^ mask[i]);
        return result;
    }

    [Theory]
    [InlineData("password")]
    [InlineData("x")]
    [InlineData("ünïcödé and a rather long password that is more than thirty-two bytes")]
    public void Scramble_matches_the_definition(string password)
    {
        var scramble = CachingSha2Password.Scramble(password, Nonce);
        Assert.Equal(32, scramble.Length);
        Assert.Equal(Expected(password, Nonce), scramble);
    }

    [Fact]
    public void Scramble_depends_on_the_nonce()
    {
        Assert.NotEqual(CachingSha2Password.Scramble("password", Nonce), CachingSha2Password.Scramble("password", Sequential(20)));
    }

    [Fact]
    public void Scramble_xor_stage1_gives_the_nonce_mask()
    {
        // Undo the XOR with SHA256(password): what remains must be SHA256(SHA256(SHA256(password)) + nonce).
        var scramble = CachingSha2Password.Scramble("password", Nonce);
        var stage1 = SHA256.HashData("password"u8);
        var mask = scramble.Zip(stage1, (a, b) => (byte)(a ^ b)).ToArray();
        Assert.Equal(SHA256.HashData([.. SHA256.HashData(stage1), .. Nonce]), mask);
    }

    [Fact]
    public void Empty_password_scrambles_to_nothing()
    {
        Assert.Empty(CachingSha2Password.Scramble("", Nonce));
    }

    [Theory]
    [InlineData("password", false)]
    [InlineData("a password longer than the twenty byte nonce", false)]
    [InlineData("", false)]
    [InlineData("password", true)]
    public void EncryptPassword_decrypts_with_the_matching_private_key(string password, bool pkcs1Pem)
    {
        using var rsa = RSA.Create(2048);
        var publicKeyPem = pkcs1Pem ? rsa.ExportRSAPublicKeyPem() : rsa.ExportSubjectPublicKeyInfoPem();

        var encrypted = CachingSha2Password.EncryptPassword(password, Nonce, publicKeyPem);
        Assert.Equal(256, encrypted.Length);

        var decrypted = rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1);
        for (var i = 0; i < decrypted.Length; i++)
            decrypted[i] ^= Nonce[i % Nonce.Length];
        Assert.Equal([.. Encoding.UTF8.GetBytes(password), 0], decrypted);
    }

    [Fact]
    public void EncryptPassword_does_not_decrypt_with_another_key()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var encrypted = CachingSha2Password.EncryptPassword("password", Nonce, rsa.ExportSubjectPublicKeyInfoPem());
        Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1));
    }

    [Fact]
    public void Protocol_constants()
    {
        Assert.Equal(2, CachingSha2Password.RequestPublicKey);
        Assert.Equal(3, CachingSha2Password.FastAuthSuccess);
        Assert.Equal(4, CachingSha2Password.PerformFullAuthentication);
    }

    [Fact]
    public void EncryptPassword_with_an_empty_nonce_throws_ProtocolException()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<ProtocolException>(() => CachingSha2Password.EncryptPassword("password", [], rsa.ExportSubjectPublicKeyInfoPem()));
    }
}

public class CachingSha2PasswordServerTests
{
    private static readonly byte[] Nonce = "0123456789abcdefghij"u8.ToArray();

    [Fact]
    public void Client_scramble_verifies_against_the_cached_hash_and_yields_sha256_of_the_password()
    {
        var response = CachingSha2Password.Scramble("secret", Nonce);

        var stage1 = CachingSha2Password.VerifyScramble(response, Nonce, CachingSha2Password.Stage2("secret"));

        Assert.Equal(CachingSha2Password.Stage1("secret"), stage1);
        Assert.Null(CachingSha2Password.VerifyScramble(response, Nonce, CachingSha2Password.Stage2("other")));
        Assert.Null(CachingSha2Password.VerifyScramble(response.AsSpan(1), Nonce, CachingSha2Password.Stage2("secret")));
    }

    [Fact]
    public void Scramble_from_sha256_of_the_password_equals_the_one_from_the_password()
    {
        Assert.Equal(CachingSha2Password.Scramble("secret", Nonce),
            CachingSha2Password.ScrambleWithStage1(CachingSha2Password.Stage1("secret"), Nonce));
    }

    [Fact]
    public void Rsa_encrypted_password_decrypts_with_the_private_key_only()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var encrypted = CachingSha2Password.EncryptPassword("pässword", Nonce, key.ExportSubjectPublicKeyInfoPem());

        Assert.Equal("pässword", CachingSha2Password.DecryptPassword(key, encrypted, Nonce));
        Assert.Null(CachingSha2Password.DecryptPassword(other, encrypted, Nonce));
        Assert.Null(CachingSha2Password.DecryptPassword(key, encrypted.AsSpan(1), Nonce));
    }
}
