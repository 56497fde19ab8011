using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

public class StoredPasswordTests
{
    public static TheoryData<string?, StoredPasswordKind> Forms() => new()
    {
        { null, StoredPasswordKind.Empty },
        { "", StoredPasswordKind.Empty },
        { "secret", StoredPasswordKind.Clear },
        { MysqlNativePassword.HashPassword("secret"), StoredPasswordKind.Native },
        { CachingSha2Hash.HashPassword("secret"), StoredPasswordKind.CachingSha2 },
        { StoredPassword.Ed25519Prefix + ClientEd25519.HashPassword("secret"), StoredPasswordKind.Ed25519 },
        // MariaDB's bare ed25519 form is taken as clear text: it is indistinguishable from a generated password.
        { ClientEd25519.HashPassword("secret"), StoredPasswordKind.Clear },
        { StoredPassword.Ed25519Prefix + "tooshort", StoredPasswordKind.Clear },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Form_is_recognised(string? text, StoredPasswordKind kind) => Assert.Equal(kind, StoredPassword.Parse(text).Kind);

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_matches_its_password_only(string? text, StoredPasswordKind kind)
    {
        var stored = StoredPassword.Parse(text);
        var password = kind switch
        {
            StoredPasswordKind.Empty => "",
            StoredPasswordKind.Clear => text!,
            _ => "secret",
        };
        Assert.True(stored.Matches(password));
        Assert.False(stored.Matches(password + "x"));
        Assert.DoesNotContain("secret", stored.ToString(), StringComparison.Ordinal);
    }
}
