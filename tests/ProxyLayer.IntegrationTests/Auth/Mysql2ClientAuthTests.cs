using System.Globalization;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using ProxyLayer.Protocol.Auth;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// Logins through the proxy by node's <c>mysql2</c> (pinned in scripts/setup.sh, installed into .cache/node): its
/// caching_sha2_password (fast path; full authentication over TLS, by asking for the RSA key, or with the key given
/// up front), mysql_native_password, and what it does with client_ed25519, which it does not implement.
/// mysql2_login.js reports which caching_sha2 steps the proxy asked for, so the paths are checked, not assumed.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class Mysql2ClientAuthTests(MariaDbFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string Password = "Node-Pw-7d21a";
    private readonly MariaDbServer _server = fixture.Server;
    private readonly RecordingOutput _output = new(output);
    private readonly AuthProxyRig _rig = new(fixture.Server, output, "mysql2");

    public void Dispose() => _rig.Dispose();

    private ProxyUnderTest Start(IEnumerable<UserConfig> users, string defaultPlugin) => _rig.Start(users, defaultPlugin);

    /// <summary>mysql2_login.js's answer on one line: "user@host tls|plain steps", or "ERROR code message".</summary>
    private static async Task<string> Mysql2Async(ProxyUnderTest proxy, string user, string password, params string[] options)
    {
        var modules = Mysql2Client.NodeModules();
        string[] arguments = [Path.Combine(AppContext.BaseDirectory, "Auth", "mysql2_login.js"), modules, "127.0.0.1",
            proxy.Port.ToString(CultureInfo.InvariantCulture), user, password, .. options];
        var result = await Mysql2Client.RunNodeAsync(arguments);
        Assert.True(result.ExitCode is 0 or 1, $"mysql2_login.js failed to run (exit {result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Trim().Replace('\n', ' ');
    }

    private string[] Tls => ["--ca", _rig.CaFile];

    [Fact]
    public async Task Mysql2_caching_sha2_full_authentication_by_rsa_request_given_key_and_tls_then_the_fast_path_and_1045_when_wrong()
    {
        await AuthServer.CreateNativeUserAsync(_server, "m2rsa", Password);
        await AuthServer.CreateNativeUserAsync(_server, "m2key", Password);
        await AuthServer.CreateNativeUserAsync(_server, "m2tls", Password);
        // Stored only as caching_sha2_password hashes: the proxy learns the password from the full authentication
        // and then logs in to the (native) server account with it.
        await using var proxy = Start(
            [
                ProxyUnderTest.User("m2rsa", CachingSha2Hash.HashPassword(Password)),
                ProxyUnderTest.User("m2key", CachingSha2Hash.HashPassword(Password)),
                ProxyUnderTest.User("m2tls", CachingSha2Hash.HashPassword(Password)),
            ], "caching_sha2_password");
        proxy.Host.ClientAuth.RsaKey = FrontendRsaKey.LoadOrCreate(_rig.Datadir.FullName);
        string[] givenKey = ["--server-key", Path.Combine(_rig.Datadir.FullName, FrontendRsaKey.PublicKeyFile)];

        // Without TLS, nothing learnt yet: full authentication, mysql2 asks for the proxy's RSA key (0x02).
        Assert.StartsWith("ERROR 1045 ", await Mysql2Async(proxy, "m2rsa", "wrong"), StringComparison.Ordinal);
        Assert.Equal("m2rsa@% plain full+key", await Mysql2Async(proxy, "m2rsa", Password));
        // Learnt: the fast path (the scramble checked against the cached hash), and a wrong password still fails.
        Assert.Equal("m2rsa@% plain fast", await Mysql2Async(proxy, "m2rsa", Password));
        Assert.StartsWith("ERROR 1045 ", await Mysql2Async(proxy, "m2rsa", "wrong"), StringComparison.Ordinal);

        // mysql2 given the key up front (authPlugins): it starts with mysql_native_password, the proxy switches it to
        // caching_sha2_password, and the encrypted password goes at once, without asking for the key.
        Assert.StartsWith("ERROR 1045 ", await Mysql2Async(proxy, "m2key", "wrong", givenKey), StringComparison.Ordinal);
        Assert.Equal("m2key@% plain full", await Mysql2Async(proxy, "m2key", Password, givenKey));

        // Over TLS the full authentication carries the password itself inside the TLS session.
        Assert.StartsWith("ERROR 1045 ", await Mysql2Async(proxy, "m2tls", "wrong", Tls), StringComparison.Ordinal);
        Assert.Equal("m2tls@% tls full", await Mysql2Async(proxy, "m2tls", Password, Tls));
        Assert.Equal("m2tls@% tls fast", await Mysql2Async(proxy, "m2tls", Password, Tls));
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mysql2_native_and_clear_text_stored_users_log_in_with_either_default_plugin_and_an_ed25519_user_is_refused_cleanly()
    {
        await AuthServer.CreateNativeUserAsync(_server, "m2native", Password);
        await AuthServer.CreateNativeUserAsync(_server, "m2clear", Password);
        await AuthServer.CreateEd25519UserAsync(_server, "m2ed", Password);
        UserConfig[] users =
        [
            ProxyUnderTest.User("m2native", MysqlNativePassword.HashPassword(Password)),
            ProxyUnderTest.User("m2clear", Password),
            ProxyUnderTest.User("m2ed", StoredPassword.Ed25519Prefix + ClientEd25519.HashPassword(Password)) with { Backend = false },
            ProxyUnderTest.User("m2ed", Password) with { Frontend = false },
        ];

        await using (var sha2First = Start(users, "caching_sha2_password"))
        {
            // A native hash: switched to mysql_native_password (no caching_sha2 step after the greeting).
            Assert.Equal("m2native@% plain none", await Mysql2Async(sha2First, "m2native", Password));
            Assert.StartsWith("ERROR 1045 ", await Mysql2Async(sha2First, "m2native", "wrong"), StringComparison.Ordinal);
            // Clear text stored: the proxy can check the first scramble, so the fast path straight away.
            Assert.Equal("m2clear@% plain fast", await Mysql2Async(sha2First, "m2clear", Password));
            Assert.StartsWith("ERROR 1045 ", await Mysql2Async(sha2First, "m2clear", "wrong"), StringComparison.Ordinal);
            // mysql2 has no client_ed25519: the proxy's switch to it ends in mysql2's own error, not a hang.
            var ed25519 = await Mysql2Async(sha2First, "m2ed", Password);
            Assert.StartsWith("ERROR ", ed25519, StringComparison.Ordinal);
            Assert.Contains("client_ed25519", ed25519, StringComparison.Ordinal);
        }

        await using var nativeFirst = Start(users, "mysql_native_password");
        Assert.Equal("m2native@% plain none", await Mysql2Async(nativeFirst, "m2native", Password));
        Assert.StartsWith("ERROR 1045 ", await Mysql2Async(nativeFirst, "m2native", "wrong"), StringComparison.Ordinal);
        Assert.Equal("m2clear@% plain none", await Mysql2Async(nativeFirst, "m2clear", Password));
        Assert.Equal("m2clear@% tls none", await Mysql2Async(nativeFirst, "m2clear", Password, Tls));
        Assert.StartsWith("ERROR 1045 ", await Mysql2Async(nativeFirst, "m2clear", "wrong"), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }
}
