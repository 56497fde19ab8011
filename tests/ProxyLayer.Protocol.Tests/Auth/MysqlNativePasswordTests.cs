using System.Security.Cryptography;
using System.Text;
using ProxyLayer.Protocol.Auth;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Auth;

#pragma warning disable CA5350 // SHA1 is what the protocol is defined with

public class MysqlNativePasswordTests
{
    private const string PasswordHash = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"; // PASSWORD('password')

    private static readonly byte[] Nonce = Hex("3B 55 78 7C 1A 6E 2F 41 0D 62 39 5A 11 46 07 71 2C 6F 58 24");

    private static byte[] Sha1(byte[] data) => SHA1.HashData(data);

    /// <summary>SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))), straight from the definition.</summary>
    private static byte[] Expected(string password, byte[] nonce)
    {
        var stage1 = Sha1(Encoding.UTF8.GetBytes(password));
        var stage2 = Sha1(stage1);
        var mask = Sha1([.. nonce, .. stage2]);
        return stage1.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray();
    }

    [Fact]
    public void HashPassword_known_vector()
    {
        Assert.Equal(PasswordHash, MysqlNativePassword.HashPassword("password"));
        Assert.True(MysqlNativePassword.IsHashed(PasswordHash));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("p")]
    [InlineData("pässwörd with spaces and a long tail ......................................")]
    public void Scramble_matches_the_definition(string password)
    {
        var scramble = MysqlNativePassword.Scramble(password, Nonce);
        Assert.Equal(MysqlNativePassword.ScrambleLength, scramble.Length);
        Assert.Equal(Expected(password, Nonce), scramble);
    }

    [Fact]
    public void Scramble_uses_only_the_first_20_bytes_of_the_nonce()
    {
        // Greetings and auth switches may hand over the scramble with its trailing NUL.
        Assert.Equal(MysqlNativePassword.Scramble("password", Nonce), MysqlNativePassword.Scramble("password", [.. Nonce, 0]));
    }

    [Fact]
    public void Empty_password_scrambles_to_nothing()
    {
        Assert.Empty(MysqlNativePassword.Scramble("", Nonce));
    }

    [Theory]
    [InlineData("password", "password")]
    [InlineData("password", PasswordHash)]
    [InlineData("password", "*2470c0c06dee42fd1618bb99005adca2ec9d1e19")]
    [InlineData("secret", "secret")]
    public void Verify_accepts_the_right_password_and_returns_sha1_of_it(string password, string stored)
    {
        var stage1 = MysqlNativePassword.Verify(Expected(password, Nonce), Nonce, stored);
        Assert.NotNull(stage1);
        Assert.Equal(Sha1(Encoding.UTF8.GetBytes(password)), stage1);
    }

    [Fact]
    public void Verify_result_lets_the_proxy_scramble_for_a_backend()
    {
        var stage1 = MysqlNativePassword.Verify(MysqlNativePassword.Scramble("password", Nonce), Nonce, PasswordHash);
        Assert.NotNull(stage1);
        var backendNonce = Sequential(20, 0x40);
        Assert.Equal(MysqlNativePassword.Scramble("password", backendNonce),
            MysqlNativePassword.ScrambleWithStage1(stage1, backendNonce));
    }

    [Theory]
    [InlineData("wrong", "password")]
    [InlineData("wrong", PasswordHash)]
    [InlineData("Password", PasswordHash)]
    public void Verify_rejects_a_wrong_password(string password, string stored)
    {
        Assert.Null(MysqlNativePassword.Verify(Expected(password, Nonce), Nonce, stored));
    }

    [Fact]
    public void Verify_rejects_an_answer_for_another_nonce()
    {
        var response = MysqlNativePassword.Scramble("password", Sequential(20));
        Assert.Null(MysqlNativePassword.Verify(response, Nonce, PasswordHash));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(32)]
    public void Verify_rejects_a_response_of_the_wrong_length(int length)
    {
        Assert.Null(MysqlNativePassword.Verify(new byte[length], Nonce, PasswordHash));
        Assert.Null(MysqlNativePassword.Verify(new byte[length], Nonce, "password"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Empty_stored_password_accepts_only_an_empty_response(string? stored)
    {
        var accepted = MysqlNativePassword.Verify([], Nonce, stored);
        Assert.NotNull(accepted);
        Assert.Empty(accepted);
        Assert.Null(MysqlNativePassword.Verify(Expected("x", Nonce), Nonce, stored));
    }

    [Fact]
    public void Non_empty_stored_password_rejects_an_empty_response()
    {
        Assert.Null(MysqlNativePassword.Verify([], Nonce, "password"));
        Assert.Null(MysqlNativePassword.Verify([], Nonce, PasswordHash));
    }

    [Fact]
    public void Star_text_that_is_not_hex_is_a_clear_password()
    {
        var stored = "*" + new string('Z', 40);
        Assert.False(MysqlNativePassword.IsHashed(stored));
        var stage1 = MysqlNativePassword.Verify(Expected(stored, Nonce), Nonce, stored);
        Assert.Equal(Sha1(Encoding.UTF8.GetBytes(stored)), stage1);
    }

    [Theory]
    [InlineData(PasswordHash, true)]
    [InlineData("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E1", false)] // 39 hex digits
    [InlineData("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E199", false)]
    [InlineData("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19A", false)]
    [InlineData("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E1G", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsHashed(string? stored, bool expected)
    {
        Assert.Equal(expected, MysqlNativePassword.IsHashed(stored));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(19)]
    public void Short_nonce_from_a_peer_throws_ProtocolException(int length)
    {
        var nonce = new byte[length];
        Assert.Throws<ProtocolException>(() => MysqlNativePassword.Scramble("password", nonce));
        Assert.Throws<ProtocolException>(() => MysqlNativePassword.ScrambleWithStage1(new byte[20], nonce));
    }
}
