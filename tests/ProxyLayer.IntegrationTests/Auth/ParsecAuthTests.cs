using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// MariaDB's PARSEC on both sides. No server here offers it (MariaDB 11.6+; Debian 12 has 10.11), and of the clients
/// only node's mariadb connector (MariaDB's own) speaks it. So: that connector logs in to the proxy, against a key it
/// computed itself with OpenSSL (mariadb_parsec.js hash), which checks the proxy's server side; then the proxy's own
/// parsec client logs in to a second proxy acting as the server, which the first test has just checked.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ParsecAuthTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const string Password = "Parsec-Pw-41c9e";
    private readonly MariaDbServer _server = fixture.Server;
    private readonly RecordingOutput _output = new(output);

    private static async Task<string> NodeAsync(params string[] arguments)
    {
        var modules = Mysql2Client.NodeModules("mariadb");
        var result = await Mysql2Client.RunNodeAsync([Path.Combine(AppContext.BaseDirectory, "Auth", "mariadb_parsec.js"), modules, .. arguments]);
        Assert.True(result.ExitCode is 0 or 1, $"mariadb_parsec.js failed to run (exit {result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    private static Task<string> LoginAsync(ProxyUnderTest proxy, string user, string password) =>
        NodeAsync("login", "127.0.0.1", proxy.Port.ToString(CultureInfo.InvariantCulture), user, password);

    /// <summary>A user clients log in as with a parsec key, and the clear-text row the proxy logs in to servers with.</summary>
    private static Config.UserConfig[] ParsecUser(string name, string storedKey) =>
        [ProxyUnderTest.User(name, storedKey) with { Backend = false }, ProxyUnderTest.User(name, Password) with { Frontend = false }];

    [Fact]
    public async Task MariaDBs_node_connector_logs_in_with_parsec_against_a_key_it_made_and_gets_1045_when_wrong()
    {
        await AuthServer.CreateNativeUserAsync(_server, "pnode", Password);
        await AuthServer.CreateNativeUserAsync(_server, "pclear", Password);
        var storedByOpenSsl = await NodeAsync("hash", Password);
        Assert.StartsWith("P0:", storedByOpenSsl, StringComparison.Ordinal);
        await using var proxy = ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(_server.Port, [],
            [.. ParsecUser("pnode", storedByOpenSsl), ProxyUnderTest.User("pclear", Password)]), _output);

        Assert.Equal("pnode@%", await LoginAsync(proxy, "pnode", Password));
        Assert.StartsWith("ERROR 1045 ", await LoginAsync(proxy, "pnode", Password + "x"), StringComparison.Ordinal);
        // A clear-text user: the connector starts with mysql_native_password and stays with it.
        Assert.Equal("pclear@%", await LoginAsync(proxy, "pclear", Password));
        Assert.StartsWith("ERROR 1045 ", await LoginAsync(proxy, "pclear", "wrong"), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_logs_in_to_a_parsec_server_and_a_wrong_password_is_the_servers_1045()
    {
        await AuthServer.CreateNativeUserAsync(_server, "pchain", Password);
        var storedByOpenSsl = await NodeAsync("hash", Password);
        // The back proxy has only the parsec key for clients: it switches whoever logs in to parsec.
        await using var back = ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(_server.Port, [],
            [.. ParsecUser("pchain", storedByOpenSsl), .. ParsecUser("pwrong", storedByOpenSsl)]), _output);
        await using var front = ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(back.Port, [],
            [ProxyUnderTest.User("pchain", Password), ProxyUnderTest.User("pwrong", "not-the-password")]), _output);

        await using (var connection = new MySqlConnection(front.ConnectionString("pchain", Password)))
        {
            await connection.OpenAsync();
            await using var who = new MySqlCommand("SELECT CURRENT_USER()", connection);
            Assert.Equal("pchain@%", await who.ExecuteScalarAsync());
        }
        Assert.Equal(1, front.Backend.ConnectOk);

        // The front proxy's row for pwrong holds another password than the back proxy's key was made from: the back
        // one refuses the signature, and the client hears the server's refusal.
        await using var refused = new MySqlConnection(front.ConnectionString("pwrong", "not-the-password"));
        var error = await Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await refused.OpenAsync();
            await using var select = new MySqlCommand("SELECT 1", refused);
            await select.ExecuteScalarAsync();
        });
        output.WriteLine(error.Message);
        Assert.Contains("pwrong", error.Message, StringComparison.Ordinal);
    }
}
