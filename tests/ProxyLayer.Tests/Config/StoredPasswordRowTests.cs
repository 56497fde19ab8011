using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Tests.Config;

/// <summary>Stored password forms that can never log in to a server are refused at LOAD, naming the user.</summary>
public sealed class StoredPasswordRowTests
{
    private static readonly string Ed25519Key = StoredPassword.Ed25519Prefix + ClientEd25519.HashPassword("secret");
    private static readonly string ParsecKey = Parsec.CreateKey("secret").Stored();

    private static UserConfig Row(string name, string? password, bool frontend = true, bool backend = true) =>
        new() { Username = name, Password = password, DefaultHostgroup = 10, Frontend = frontend, Backend = backend };

    private static RuntimeConfigManager Manager() => new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);

    public static TheoryData<UserConfig[], string?> Rows() => new()
    {
        { [Row("a", "clear")], null },
        { [Row("a", MysqlNativePassword.HashPassword("x"))], null },
        { [Row("a", CachingSha2Hash.HashPassword("x"))], null },
        { [Row("ed", Ed25519Key)], "an ed25519 key lets clients log in but gives the proxy nothing" },
        { [Row("ed", Ed25519Key, backend: false)], "needs a row with frontend=0, backend=1 and a clear-text password" },
        { [Row("ed", Ed25519Key, backend: false), Row("ed", "secret", frontend: false)], null },
        { [Row("pk", ParsecKey)], "a parsec key lets clients log in but gives the proxy nothing" },
        { [Row("pk", ParsecKey, backend: false)], "backend=0 with a parsec key needs a row with frontend=0, backend=1" },
        { [Row("pk", ParsecKey, backend: false), Row("pk", "secret", frontend: false)], null },
        // ProxySQL's split rows (SAVE MYSQL USERS TO MEMORY) of a hashed user load again.
        { [Row("n", MysqlNativePassword.HashPassword("x"), backend: false), Row("n", MysqlNativePassword.HashPassword("x"), frontend: false)], null },
        { [Row("ed", Ed25519Key, backend: false), Row("ed", MysqlNativePassword.HashPassword("secret"), frontend: false)], "a backend-only row needs the clear-text password" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Load_accepts_or_names_the_row(UserConfig[] users, string? expected)
    {
        var result = Manager().Apply(ProxyConfig.Empty with { Users = [.. users] });

        if (expected is null)
        {
            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
            return;
        }
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.StartsWith($"mysql_users (username='{users[0].Username}'", e, StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.DoesNotContain("secret", e, StringComparison.Ordinal));
    }
}

public sealed class UserConfigPrintingTests
{
    [Fact]
    public void Printing_a_user_row_never_shows_its_password()
    {
        var user = new UserConfig { Username = "app", Password = "Print-Pw-0c4" };
        Assert.Contains("app", user.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Print-Pw-0c4", user.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Print-Pw-0c4", new[] { user }.Select(u => $"{u}").Single(), StringComparison.Ordinal);
    }
}
