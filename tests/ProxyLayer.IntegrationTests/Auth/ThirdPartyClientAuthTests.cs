using System.Buffers.Binary;
using System.Text;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using ProxyLayer.Protocol.Auth;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// Logins through the proxy by PyMySQL (Debian's python3-pymysql, with python3-cryptography for the RSA exchange and
/// python3-nacl for ed25519), and mysql_clear_password: taken over TLS from the <c>mariadb</c> CLI, never without it.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ThirdPartyClientAuthTests(MariaDbFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string Password = "Third-Pw-4e0b9";
    private const string Python = "/usr/bin/python3";
    private readonly MariaDbServer _server = fixture.Server;
    private readonly RecordingOutput _output = new(output);
    private readonly AuthProxyRig _rig = new(fixture.Server, output, "thirdparty");

    public void Dispose() => _rig.Dispose();

    private ProxyUnderTest Start(IEnumerable<UserConfig> users, string defaultPlugin) => _rig.Start(users, defaultPlugin);

    private string CaFile => _rig.CaFile;

    /// <summary>PyMySQL's answer: CURRENT_USER() and "tls"/"plain", or "ERROR code message".</summary>
    private async Task<string> PyMySqlAsync(ProxyUnderTest proxy, string user, string password, bool tls = false)
    {
        string[] arguments = [Path.Combine(AppContext.BaseDirectory, "Auth", "pymysql_login.py"), "127.0.0.1", proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), user, password];
        var result = await ProcessRunner.RunAsync(Python, tls ? [.. arguments, CaFile] : arguments, null, TimeSpan.FromSeconds(30), default);
        Assert.True(result.ExitCode is 0 or 1, $"pymysql_login.py failed to run: {result.StandardError}");
        return result.StandardOutput.Trim().Replace('\n', ' ');
    }

    [Fact]
    public async Task PyMySql_logs_in_with_caching_sha2_by_rsa_tls_and_fast_path_with_ed25519_and_native_and_gets_1045_when_wrong()
    {
        await AuthServer.CreateNativeUserAsync(_server, "pysha2", Password);
        await AuthServer.CreateNativeUserAsync(_server, "pysha2tls", Password);
        await AuthServer.CreateNativeUserAsync(_server, "pynative", Password);
        await AuthServer.CreateEd25519UserAsync(_server, "pyed", Password);
        UserConfig[] users =
        [
            ProxyUnderTest.User("pysha2", CachingSha2Hash.HashPassword(Password)),
            ProxyUnderTest.User("pysha2tls", CachingSha2Hash.HashPassword(Password)),
            ProxyUnderTest.User("pynative", MysqlNativePassword.HashPassword(Password)),
            ProxyUnderTest.User("pyed", StoredPassword.Ed25519Prefix + ClientEd25519.HashPassword(Password)) with { Backend = false },
            ProxyUnderTest.User("pyed", Password) with { Frontend = false },
        ];
        await using var proxy = Start(users, "caching_sha2_password");

        // Nothing learnt yet: full authentication, PyMySQL asking for the proxy's RSA key; then the fast path.
        Assert.Equal("ERROR 1045", (await PyMySqlAsync(proxy, "pysha2", "wrong"))[..10]);
        Assert.Equal("pysha2@% plain", await PyMySqlAsync(proxy, "pysha2", Password));
        Assert.Equal("pysha2@% plain", await PyMySqlAsync(proxy, "pysha2", Password));
        Assert.Equal("ERROR 1045", (await PyMySqlAsync(proxy, "pysha2", "wrong"))[..10]);
        // Full authentication over TLS: the password in clear inside the TLS session.
        Assert.Equal("pysha2tls@% tls", await PyMySqlAsync(proxy, "pysha2tls", Password, tls: true));
        Assert.Equal("ERROR 1045", (await PyMySqlAsync(proxy, "pysha2tls", "wrong", tls: true))[..10]);
        // A native hash: the proxy switches PyMySQL to mysql_native_password.
        Assert.Equal("pynative@% plain", await PyMySqlAsync(proxy, "pynative", Password));
        Assert.Equal("ERROR 1045", (await PyMySqlAsync(proxy, "pynative", "wrong"))[..10]);
        // An ed25519 key: switched to client_ed25519 (PyMySQL signs with PyNaCl); the server account is ed25519 too.
        Assert.Equal("pyed@% plain", await PyMySqlAsync(proxy, "pyed", Password));
        Assert.Equal("ERROR 1045", (await PyMySqlAsync(proxy, "pyed", "wrong"))[..10]);
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_password_is_taken_over_tls_and_the_proxy_then_reaches_an_ed25519_server_with_it()
    {
        // The proxy stores only a native hash, and the server account needs the password itself (ed25519): the
        // statement below can reach the server only if the proxy took the clear password from this TLS login (a
        // switch to mysql_native_password would leave it without one).
        await AuthServer.CreateEd25519UserAsync(_server, "cleartls", Password);
        await using var proxy = Start([ProxyUnderTest.User("cleartls", MysqlNativePassword.HashPassword(Password))], "mysql_native_password");

        var tls = await MariaDbCli.RunAsync([.. proxy.CliArguments("cleartls", Password), "--batch", "--skip-column-names", "--ssl",
            "--default-auth=mysql_clear_password", "-e", "SELECT CURRENT_USER()"]);
        Assert.True(tls.Succeeded, tls.StandardError);
        Assert.Equal("cleartls@%\n", tls.StandardOutput);
        var wrong = await MariaDbCli.RunAsync([.. proxy.CliArguments("cleartls", "wrong"), "--batch", "--ssl",
            "--default-auth=mysql_clear_password", "-e", "SELECT 1"]);
        Assert.Contains("ERROR 1045 (28000)", wrong.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_password_without_tls_is_refused_the_proxy_asks_for_a_hashing_plugin_instead()
    {
        await using var proxy = Start([ProxyUnderTest.User("clearplain", MysqlNativePassword.HashPassword(Password))], "mysql_native_password");
        await using var client = await RawMySqlClient.ConnectAsync(proxy.Endpoint);
        var greeting = await client.ReadPacketAsync();

        // A client that starts with mysql_clear_password on a plain connection, as libmariadb does with that plugin.
        await client.WritePacketAsync(1, ClearPasswordHandshakeResponse("clearplain", Password));
        var reply = await client.ReadPacketAsync();

        // Not accepted: an AuthSwitchRequest (0xFE) to mysql_native_password, whose answer must prove the password.
        Assert.Equal(0xFE, reply.Payload[0]);
        var plugin = Encoding.ASCII.GetString(reply.Payload, 1, Array.IndexOf(reply.Payload, (byte)0, 1) - 1);
        Assert.Equal("mysql_native_password", plugin);
        // Sending the clear password again as the answer is still refused.
        await client.WritePacketAsync((byte)(reply.SequenceId + 1), (byte[])[.. Encoding.UTF8.GetBytes(Password), 0]);
        var refused = await client.ReadPacketAsync();
        Assert.True(refused.IsError, refused.Describe());
        Assert.Equal(1045, refused.Error.Code);
        Assert.NotNull(greeting);
    }

    /// <summary>HandshakeResponse41 naming mysql_clear_password, the password NUL-terminated as that plugin sends it.</summary>
    private static byte[] ClearPasswordHandshakeResponse(string user, string password)
    {
        const uint Capabilities = 0x1 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000; // long password, 4.1, transactions, secure conn., multi results, plugin auth
        byte[] authResponse = [.. Encoding.UTF8.GetBytes(password), 0];
        using var body = new MemoryStream();
        var fixedPart = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart, Capabilities);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart.AsSpan(4), 16 * 1024 * 1024);
        fixedPart[8] = 45; // utf8mb4_general_ci
        body.Write(fixedPart);
        body.Write([.. Encoding.UTF8.GetBytes(user), 0]);
        body.WriteByte((byte)authResponse.Length);
        body.Write(authResponse);
        body.Write([.. "mysql_clear_password"u8, 0]);
        return body.ToArray();
    }
}
