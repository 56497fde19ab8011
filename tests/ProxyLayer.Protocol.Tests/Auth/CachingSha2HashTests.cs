using System.Text;
using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

public class CachingSha2HashTests
{
    [Fact]
    public void Stored_form_is_mysqls_shape_and_matches_only_its_password()
    {
        var stored = CachingSha2Hash.HashPassword("s3cret");

        Assert.Equal(70, stored.Length);
        Assert.StartsWith("$A$005$", stored, StringComparison.Ordinal);
        var hash = CachingSha2Hash.TryParse(stored);
        Assert.NotNull(hash);
        Assert.Equal(5, hash.Iterations);
        Assert.True(hash.Matches("s3cret"));
        Assert.False(hash.Matches("s3creT"));
        Assert.DoesNotContain("s3cret", hash.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_is_sha256_crypt_of_the_salt_with_5000_rounds()
    {
        var salt = Encoding.ASCII.GetBytes("ABCDEFGHIJKLMNOPQRST");
        var stored = CachingSha2Hash.Format("pw", salt, 5);
        Assert.Equal("$A$005$ABCDEFGHIJKLMNOPQRST" + Sha256Crypt.Digest("pw"u8, salt, 5000), stored);
    }

    [Fact]
    public void Salt_with_any_byte_mysql_generates_is_read_as_latin1()
    {
        // MySQL's salts are 7-bit bytes other than NUL and '$', punctuation and control characters included.
        var salt = new byte[] { 1, 9, 31, 127, (byte)'\\', (byte)'\'', 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78 };
        var stored = CachingSha2Hash.Format("pw", salt, 5);
        Assert.True(CachingSha2Hash.TryParse(stored)!.Matches("pw"));
    }

    [Theory]
    [InlineData("$A$005$short")]
    [InlineData("$B$005$ABCDEFGHIJKLMNOPQRSTabcdefghijabcdefghijabcdefghijabcdefghij123")]
    [InlineData("$A$000$ABCDEFGHIJKLMNOPQRSTabcdefghijabcdefghijabcdefghijabcdefghij123")]
    [InlineData("$A$0G5$ABCDEFGHIJKLMNOPQRSTabcdefghijabcdefghijabcdefghijabcdefghij123")]
    public void Other_text_is_not_a_hash(string text) => Assert.Null(CachingSha2Hash.TryParse(text));
}
