using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using ProxyLayer.Protocol.Auth;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// Clients log in to the proxy with each plugin it serves and each stored password form, then run a statement on the
/// real server behind it (so the proxy's own login to the server, with what the client's login taught it, works too).
/// MySqlConnector speaks caching_sha2_password and mysql_native_password; the <c>mariadb</c> CLI (libmariadb's
/// plugins) speaks those and client_ed25519.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ClientAuthTests(MariaDbFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string Password = "Auth-Pw-91c7e";
    private readonly MariaDbServer _server = fixture.Server;
    private readonly RecordingOutput _output = new(output);
    private readonly AuthProxyRig _rig = new(fixture.Server, output, "auth");

    public void Dispose() => _rig.Dispose();

    private ProxyUnderTest Start(IEnumerable<UserConfig> users, bool sha2ByDefault = true) =>
        _rig.Start(users, sha2ByDefault ? "caching_sha2_password" : null);

    private static async Task<string?> WhoAmIAsync(ProxyUnderTest proxy, string user, string password, Action<MySqlConnectionStringBuilder>? configure = null)
    {
        await using var connection = new MySqlConnection(proxy.ConnectionString(user, password, configure: configure));
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT CURRENT_USER()", connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task AssertAccessDeniedAsync(ProxyUnderTest proxy, string user, string password, Action<MySqlConnectionStringBuilder>? configure = null)
    {
        await using var connection = new MySqlConnection(proxy.ConnectionString(user, password, configure: configure));
        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());
        Assert.Equal(MySqlErrorCode.AccessDenied, error.ErrorCode);
        Assert.Equal("28000", error.SqlState);
    }

    private static Task<ProcessResult> CliAsync(ProxyUnderTest proxy, string user, string password, params string[] extra) =>
        MariaDbCli.RunAsync([.. proxy.CliArguments(user, password), "--batch", "--skip-column-names", .. extra, "-e", "SELECT CURRENT_USER()"]);

    [Fact]
    public async Task Caching_sha2_stored_user_logs_in_by_rsa_then_by_the_fast_path_and_the_proxy_reaches_a_native_server()
    {
        await AuthServer.CreateNativeUserAsync(_server, "sha2rsa", Password);
        await using var proxy = Start([ProxyUnderTest.User("sha2rsa", CachingSha2Hash.HashPassword(Password))]);

        // Nothing learnt yet: full authentication, the password encrypted with the key the client asked the proxy for.
        await AssertAccessDeniedAsync(proxy, "sha2rsa", Password + "x", b => b.AllowPublicKeyRetrieval = true);
        Assert.Equal("sha2rsa@%", await WhoAmIAsync(proxy, "sha2rsa", Password, b => b.AllowPublicKeyRetrieval = true));

        // Now the fast path: this client could not do a full authentication (no TLS, no key), so it took the fast one.
        Assert.Equal("sha2rsa@%", await WhoAmIAsync(proxy, "sha2rsa", Password));
        await AssertAccessDeniedAsync(proxy, "sha2rsa", Password + "x");
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caching_sha2_full_authentication_by_rsa_with_the_cli_then_the_fast_path()
    {
        // libmariadb's caching_sha2_password without TLS and without a key file asks the proxy for its RSA key.
        await AuthServer.CreateNativeUserAsync(_server, "sha2clirsa", Password);
        await using var proxy = Start([ProxyUnderTest.User("sha2clirsa", CachingSha2Hash.HashPassword(Password))]);

        var wrong = await CliAsync(proxy, "sha2clirsa", "wrong", "--skip-ssl", "--default-auth=caching_sha2_password");
        Assert.Contains("ERROR 1045 (28000)", wrong.StandardError, StringComparison.Ordinal);
        var rsa = await CliAsync(proxy, "sha2clirsa", Password, "--skip-ssl", "--default-auth=caching_sha2_password");
        Assert.True(rsa.Succeeded, rsa.StandardError);
        Assert.Equal("sha2clirsa@%\n", rsa.StandardOutput);
        // Learnt: MySqlConnector without TLS or key could only take the fast path, so its success shows it was taken.
        Assert.Equal("sha2clirsa@%", await WhoAmIAsync(proxy, "sha2clirsa", Password));
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caching_sha2_client_that_has_the_proxys_public_key_sends_the_encrypted_password_at_once()
    {
        await AuthServer.CreateNativeUserAsync(_server, "sha2key", Password);
        await using var proxy = Start([ProxyUnderTest.User("sha2key", CachingSha2Hash.HashPassword(Password))]);
        proxy.Host.ClientAuth.RsaKey = FrontendRsaKey.LoadOrCreate(_rig.Datadir.FullName);
        var publicKey = Path.Combine(_rig.Datadir.FullName, FrontendRsaKey.PublicKeyFile);

        await AssertAccessDeniedAsync(proxy, "sha2key", "wrong", b => b.ServerRsaPublicKeyFile = publicKey);
        Assert.Equal("sha2key@%", await WhoAmIAsync(proxy, "sha2key", Password, b => b.ServerRsaPublicKeyFile = publicKey));
    }

    [Fact]
    public async Task Caching_sha2_full_authentication_over_tls_with_both_clients()
    {
        await AuthServer.CreateNativeUserAsync(_server, "sha2tls", Password);
        await using var proxy = Start([ProxyUnderTest.User("sha2tls", CachingSha2Hash.HashPassword(Password))]);

        await AssertAccessDeniedAsync(proxy, "sha2tls", "wrong", b => b.SslMode = MySqlSslMode.Required);
        var cli = await CliAsync(proxy, "sha2tls", Password, "--ssl");
        Assert.True(cli.Succeeded, cli.StandardError);
        Assert.Equal("sha2tls@%\n", cli.StandardOutput);
        // Learnt by the CLI's full authentication: MySqlConnector without TLS now takes the fast path.
        Assert.Equal("sha2tls@%", await WhoAmIAsync(proxy, "sha2tls", Password));
        Assert.Equal("sha2tls@%", await WhoAmIAsync(proxy, "sha2tls", Password, b => b.SslMode = MySqlSslMode.Required));
    }

    [Fact]
    public async Task Clear_text_stored_user_takes_the_fast_path_with_either_default_plugin()
    {
        await AuthServer.CreateNativeUserAsync(_server, "clearsha2", Password);
        foreach (var sha2ByDefault in new[] { true, false })
        {
            await using var proxy = Start([ProxyUnderTest.User("clearsha2", Password)], sha2ByDefault);
            Assert.Equal("clearsha2@%", await WhoAmIAsync(proxy, "clearsha2", Password));
            await AssertAccessDeniedAsync(proxy, "clearsha2", "wrong");
            var cli = await CliAsync(proxy, "clearsha2", Password, "--default-auth=caching_sha2_password");
            Assert.True(cli.Succeeded, cli.StandardError);
            var wrong = await CliAsync(proxy, "clearsha2", "wrong", "--default-auth=caching_sha2_password");
            Assert.Contains("ERROR 1045 (28000)", wrong.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Native_hash_user_is_switched_to_native_and_the_proxy_logs_in_with_what_the_client_proved()
    {
        await AuthServer.CreateNativeUserAsync(_server, "nativehash", Password);
        await using var proxy = Start([ProxyUnderTest.User("nativehash", MysqlNativePassword.HashPassword(Password))]);

        Assert.Equal("nativehash@%", await WhoAmIAsync(proxy, "nativehash", Password));
        await AssertAccessDeniedAsync(proxy, "nativehash", "wrong");
        var cli = await CliAsync(proxy, "nativehash", Password);
        Assert.True(cli.Succeeded, cli.StandardError);
    }

    [Fact]
    public async Task Ed25519_login_with_the_cli_for_a_mariadb_stored_key_and_the_proxy_logs_in_to_ed25519_server_accounts()
    {
        // The backend account is on MariaDB's own ed25519 plugin: the proxy signs its nonce to log in.
        await AuthServer.CreateEd25519UserAsync(_server, "edclear", Password);
        await AuthServer.CreateEd25519UserAsync(_server, "edstored", Password);
        var mariaDbKey = await AuthServer.StoredAuthenticationStringAsync(_server, "edstored");
        Assert.Equal(ClientEd25519.HashPassword(Password), mariaDbKey);
        UserConfig[] users =
        [
            ProxyUnderTest.User("edclear", Password),
            // Clients prove the password against the key; the proxy logs in to the server with the backend-only row.
            ProxyUnderTest.User("edstored", StoredPassword.Ed25519Prefix + mariaDbKey) with { Backend = false },
            ProxyUnderTest.User("edstored", Password) with { Frontend = false },
        ];
        await using var proxy = Start(users);

        // libmariadb cannot start with client_ed25519 (it needs a 32-byte nonce): this one logs in to the proxy natively.
        var clear = await CliAsync(proxy, "edclear", Password);
        Assert.True(clear.Succeeded, clear.StandardError);
        Assert.Equal("edclear@%\n", clear.StandardOutput);
        var stored = await CliAsync(proxy, "edstored", Password);
        Assert.True(stored.Succeeded, stored.StandardError);
        Assert.Equal("edstored@%\n", stored.StandardOutput);
        var wrong = await CliAsync(proxy, "edstored", "wrong");
        Assert.Contains("ERROR 1045 (28000)", wrong.StandardError, StringComparison.Ordinal);
        // MySqlConnector without its ed25519 add-on cannot answer the switch: refused, not hung.
        await using var connector = new MySqlConnection(proxy.ConnectionString("edstored", Password));
        await Assert.ThrowsAnyAsync<Exception>(() => connector.OpenAsync());
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_user_switches_to_the_plugin_of_the_new_users_stored_form()
    {
        await AuthServer.CreateNativeUserAsync(_server, "chsha2", Password);
        var hashed = CachingSha2Hash.HashPassword(Password);
        // A mysql_native_password greeting, so the raw client's native login needs no switch.
        await using var proxy = Start([ProxyUnderTest.User("chsha2", hashed)], sha2ByDefault: false);
        // Learn the password first (TLS full authentication), then change user to it over a plain connection.
        Assert.Equal("chsha2@%", await WhoAmIAsync(proxy, "chsha2", Password, b => b.SslMode = MySqlSslMode.Required));

        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        var refused = await client.ChangeUserAsync("chsha2", "wrong");
        Assert.True(refused.IsError, refused.Describe());
        Assert.Equal(1045, refused.Error.Code);
        var changed = await client.ChangeUserAsync("chsha2", Password);
        Assert.True(changed.IsOk, changed.Describe());
        await client.SendQueryAsync("SELECT CURRENT_USER()");
        Assert.Equal("chsha2@%", (await client.ReadTextResultSetAsync())[0][0]);
    }
}
