using System.Text;
using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

public class Sha256CryptTests
{
    // Expected values from glibc's crypt(3) ("$5$rounds=5000$0123456789abcdef"), and the example of Drepper's spec.
    [Theory]
    [InlineData("secret", "0123456789abcdef", 5000, "r6nzC5LUC0uVXFw52gWstJ181ms.XFW71j20yui2zG7")]
    [InlineData("a-password-that-is-longer-than-thirty-two-bytes-for-sure", "0123456789abcdef", 5000, "4lSlQW5GUgaBwowUN8yt80IzadMTIJ1mxX0N8E9boO1")]
    [InlineData("", "0123456789abcdef", 5000, "Zn36wCiXtVKLQsl4EZaBU/Ag5FUHHzFRXevhCLkg7x/")]
    [InlineData("Hello world!", "saltstring", 5000, "5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")]
    public void Matches_crypt3(string key, string salt, int rounds, string expected) =>
        Assert.Equal(expected, Sha256Crypt.Digest(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(salt), rounds));
}
