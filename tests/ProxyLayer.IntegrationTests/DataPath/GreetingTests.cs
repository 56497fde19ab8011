using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// What the proxy's greeting announces: the backends' own version and MariaDB capabilities unless
/// <c>mysql-server_version</c> is set, so MariaDB clients behave as they do against the server itself.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class GreetingTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    private IReadOnlyList<string> DirectCliArguments() =>
        MariaDbCli.TcpArguments(_server.Host, _server.Port, RigCredentials.AppUser, RigCredentials.AppPassword);

    /// <summary>One statement through the proxy: its backend connection is where the proxy learns the server's greeting.</summary>
    private static async Task ReachBackendAsync(ProxyUnderTest proxy)
    {
        await using var connection = await proxy.OpenAsync();
        await using var command = new MySqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync();
    }

    /// <summary>The <c>Server:</c> and <c>Server version:</c> lines of the stock client's <c>status</c>.</summary>
    private static async Task<(string Name, string Version)> StatusAsync(IEnumerable<string> arguments)
    {
        var result = await MariaDbCli.RunAsync([.. arguments, "-e", "\\s"]);
        Assert.True(result.Succeeded, result.StandardError);
        return (StatusLine(result.StandardOutput, "Server:"), StatusLine(result.StandardOutput, "Server version:"));
    }

    private static string StatusLine(string status, string label) =>
        status.Split('\n').Single(line => line.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();

    [Fact]
    public async Task Stock_client_sees_the_backends_MariaDB_name_and_version()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await ReachBackendAsync(proxy);

        var direct = await StatusAsync(DirectCliArguments());
        var proxied = await StatusAsync(proxy.CliArguments());

        Assert.Equal("MariaDB", direct.Name);
        Assert.Equal(direct, proxied);
    }

    [Fact]
    public async Task Connector_sees_the_same_server_version_string_as_directly()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await ReachBackendAsync(proxy);

        await using var direct = await _server.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);
        await using var proxied = await proxy.OpenAsync();

        Assert.Contains("MariaDB", direct.ServerVersion, StringComparison.Ordinal);
        Assert.Equal(direct.ServerVersion, proxied.ServerVersion);
    }

    [Fact]
    public async Task The_monitors_first_connect_check_teaches_the_version_before_any_client_statement()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output,
            [new("mysql-monitor_username", RigCredentials.MonitorUser), new("mysql-monitor_password", RigCredentials.MonitorPassword)]);
        await proxy.Host.StartMonitorAsync();
        await using var direct = await _server.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);

        // Greetings only: no statement, so no backend connection of the proxy's pool is involved.
        Assert.True(await Scratch.EventuallyAsync(async () => await GreetingVersionAsync(proxy) == direct.ServerVersion, TimeSpan.FromSeconds(10)),
            $"the greeting still says {await GreetingVersionAsync(proxy)}");
        Assert.Equal(0, proxy.Backend.ConnectOk);
    }

    private static async Task<string> GreetingVersionAsync(ProxyUnderTest proxy)
    {
        await using var client = await RawMySqlClient.ConnectAsync(proxy.Endpoint);
        var greeting = (await client.ReadPacketAsync()).Payload;
        return System.Text.Encoding.ASCII.GetString(greeting, 1, Array.IndexOf(greeting, (byte)0, 1) - 1);
    }

    [Fact]
    public async Task Before_any_backend_was_reached_the_greeting_says_ProxySQLs_default()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        await using var first = await proxy.OpenAsync();

        Assert.Equal("8.0.11", first.ServerVersion);
    }

    [Fact]
    public async Task An_explicit_server_version_wins()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-server_version", "5.5.30")]);
        await ReachBackendAsync(proxy);

        var (name, version) = await StatusAsync(proxy.CliArguments());
        await using var connector = await proxy.OpenAsync();

        Assert.Equal("MySQL", name);
        Assert.StartsWith("5.5.30", version, StringComparison.Ordinal);
        Assert.Equal("5.5.30", connector.ServerVersion);
    }

    [Fact]
    public async Task Json_column_shows_its_format_through_the_proxy_as_directly()
    {
        var table = await Scratch.CreateTableAsync(_server, "greet_json", "id INT PRIMARY KEY, doc JSON");
        await _server.ExecuteAsync($"INSERT INTO {table} VALUES (1, '{{\"a\": 1}}')");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await ReachBackendAsync(proxy);
        string[] query = ["--column-type-info", "--table", "-e", $"SELECT doc FROM {table}"];

        var direct = await MariaDbCli.RunAsync([.. DirectCliArguments(), .. query]);
        var proxied = await MariaDbCli.RunAsync([.. proxy.CliArguments(), .. query]);

        Assert.True(proxied.Succeeded, proxied.StandardError);
        Assert.Contains("Type:       BLOB (format=json)", direct.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(TypeLine(direct.StandardOutput), TypeLine(proxied.StandardOutput));
        Assert.Contains("{\"a\": 1}", proxied.StandardOutput, StringComparison.Ordinal);
    }

    private static string TypeLine(string output) => output.Split('\n').Single(line => line.StartsWith("Type:", StringComparison.Ordinal));

    [Fact]
    public async Task Clients_with_and_without_extended_metadata_never_share_a_backend_connection()
    {
        var table = await Scratch.CreateTableAsync(_server, "greet_mix", "id INT PRIMARY KEY, doc JSON");
        await _server.ExecuteAsync($"INSERT INTO {table} VALUES (1, '[1, 2]')");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await ReachBackendAsync(proxy); // MySqlConnector: no extended metadata; its connection stays in the pool
        string[] query = ["--column-type-info", "--table", "-e", $"SELECT doc FROM {table}"];

        for (var round = 0; round < 2; round++)
        {
            // The stock client asks for extended metadata: a connection negotiated without it would misframe its columns.
            var cli = await MariaDbCli.RunAsync([.. proxy.CliArguments(), .. query]);
            Assert.True(cli.Succeeded, cli.StandardError);
            Assert.Contains("Type:       BLOB (format=json)", cli.StandardOutput, StringComparison.Ordinal);

            // ...and MySqlConnector, which does not, must not be given the stock client's connection.
            await using var connector = await proxy.OpenAsync();
            await using var command = new MySqlCommand($"SELECT doc, id FROM {table}", connector);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("[1, 2]", reader.GetString(0));
            Assert.Equal(1, reader.GetInt32(1));
        }
        Assert.Equal(2, proxy.Backend.OpenConnections);
    }

    [Fact]
    public async Task Mariadb_dump_of_the_accounts_works_through_the_proxy()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await ReachBackendAsync(proxy);

        var result = await ProcessRunner.RunAsync(RigEnvironment.FindExecutable("mariadb-dump"),
            ["--no-defaults", .. proxy.CliArguments(), "--system=user", "--no-data", "--databases", "testdb"], null,
            MariaDbCli.DefaultTimeout, CancellationToken.None);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains($"CREATE USER `{RigCredentials.AppUser}`@`%`", result.StandardOutput, StringComparison.Ordinal);
    }
}
