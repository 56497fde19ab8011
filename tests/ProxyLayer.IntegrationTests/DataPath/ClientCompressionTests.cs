using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// The compressed protocol between clients and the proxy (<c>mysql-have_compress</c>, true by default as in ProxySQL),
/// with the stock client's <c>-C</c> and MySqlConnector's <c>UseCompression</c>; the backend link stays plain.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ClientCompressionTests(MariaDbFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string FastUser = "ffcompress";
    private const string FastPassword = "ffcompress-pw";
    private readonly MariaDbServer _server = fixture.Server;

    public Task InitializeAsync() => _server.ExecuteAsync("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");

    public Task DisposeAsync() => Task.CompletedTask;

    private static void Compressed(MySqlConnectionStringBuilder builder) => builder.UseCompression = true;

    /// <summary>MySqlConnector with compression asked for, logging to <paramref name="log"/> (which says whether it got it).</summary>
    private static MySqlDataSource CompressedSource(ProxyUnderTest proxy, CapturedLog log, string user = RigCredentials.AppUser,
        string password = RigCredentials.AppPassword) =>
        new MySqlDataSourceBuilder(proxy.ConnectionString(user, password, "testdb", Compressed)).UseLoggerFactory(log.Factory).Build();

    [Fact]
    public async Task Stock_client_with_compress_gets_a_compressed_link_and_a_200k_row_result()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        var status = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--compress", "-e", "\\s"]);
        var rows = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--compress", "--batch", "--skip-column-names", "-e",
            "SELECT seq, REPEAT(CHAR(65 + seq % 26 USING ascii), 100 + seq % 50) FROM testdb.seq_1_to_200000 ORDER BY seq"]);

        Assert.True(status.Succeeded, status.StandardError);
        Assert.Contains("Protocol:\t\tCompressed", status.StandardOutput, StringComparison.Ordinal);
        Assert.True(rows.Succeeded, rows.StandardError);
        var lines = rows.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200_000, lines.Length);
        Assert.Equal(200_000L * 200_001 / 2, lines.Sum(line => long.Parse(line.AsSpan(0, line.IndexOf('\t')), CultureInfo.InvariantCulture)));
        Assert.Equal("200000\t" + new string((char)(65 + 200_000 % 26), 100 + 200_000 % 50), lines[^1]);
    }

    [Fact]
    public async Task Stock_client_with_compress_sends_and_gets_back_a_20_MB_value()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        var value = Convert.ToHexString(RandomNumberGenerator.GetBytes(10 * 1024 * 1024)); // 20 MB of text
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(value)));

        var result = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--compress", "--batch", "--skip-column-names", "--raw",
            "--max-allowed-packet=64M"], $"SELECT '{value}', SHA2('{value}', 256);\n", TimeSpan.FromSeconds(120));

        Assert.True(result.Succeeded, result.StandardError);
        var columns = result.StandardOutput.TrimEnd('\n').Split('\t');
        Assert.Equal(2, columns.Length);
        Assert.Equal(expectedHash, columns[1]);
        Assert.True(value == columns[0], $"the value came back different ({columns[0].Length} characters)");
    }

    [Fact]
    public async Task Stock_client_with_compress_loads_a_local_file()
    {
        // libmariadb numbers every packet 0 inside compressed frames: the proxy must number the file's packets as a
        // plain client would before they go on to the server.
        const int rows = 100_000;
        var table = await Scratch.CreateTableAsync(_server, "cc_load", "id INT PRIMARY KEY, name VARCHAR(32)");
        var file = Path.Combine(Path.GetTempPath(), $"proxylayer-cc-load-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder();
        for (var i = 1; i <= rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},name-{i}\n");
        await File.WriteAllTextAsync(file, text.ToString());
        try
        {
            await using var proxy = ProxyUnderTest.StartFor(_server, output);

            var result = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--compress", "--local-infile=1", "-e",
                $"LOAD DATA LOCAL INFILE '{file}' INTO TABLE {table} FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n'; SELECT COUNT(*) FROM {table}"]);

            Assert.True(result.Succeeded, result.StandardError);
            Assert.Equal(rows, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));
            Assert.Equal((long)rows * (rows + 1) / 2, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Connector_with_compression_round_trips_a_20_MB_blob_and_reads_200k_rows()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        var log = new CapturedLog();
        await using var dataSource = CompressedSource(proxy, log);
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.True(log.Contains("supports: compression True"), "MySqlConnector did not negotiate compression:\n" + log);
        await LargeTransfers.AssertBlobRoundTripsAsync(_server, connection);
        await LargeTransfers.AssertLargeResultSetAsync(connection);
        // Prepared statements and a local error keep the link in step too.
        await using (var prepared = new MySqlCommand("SELECT @a + 1", connection))
        {
            prepared.Parameters.AddWithValue("@a", 41);
            await prepared.PrepareAsync();
            Assert.Equal(42L, Convert.ToInt64(await prepared.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
        await Assert.ThrowsAsync<MySqlException>(() => new MySqlCommand("SELECT * FROM no_such_table", connection).ExecuteScalarAsync());
        Assert.Equal(1L, Convert.ToInt64(await new MySqlCommand("SELECT 1", connection).ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Fast_forward_user_with_compression_round_trips_a_20_MB_blob()
    {
        await Scratch.CreateUserAsync(_server, FastUser, FastPassword);
        await using var proxy = ProxyUnderTest.StartFor(_server, output,
            extraUsers: [ProxyUnderTest.User(FastUser, FastPassword) with { FastForward = true }]);
        var log = new CapturedLog();
        await using var dataSource = CompressedSource(proxy, log, FastUser, FastPassword);
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.True(log.Contains("supports: compression True"), "MySqlConnector did not negotiate compression:\n" + log);
        await LargeTransfers.AssertBlobRoundTripsAsync(_server, connection);
        await LargeTransfers.AssertLargeResultSetAsync(connection);
    }

    [Fact]
    public async Task Fast_forward_user_with_compression_gets_the_usual_error_when_no_server_answers()
    {
        // The error then goes out as a compressed frame written by hand: the link's frames are the relay's by then.
        await Scratch.CreateUserAsync(_server, FastUser, FastPassword);
        var config = ProxyUnderTest.ConfigFor(PortAllocator.GetFreePort(),
            [new("mysql-connect_timeout_server_max", "500"), new("mysql-connect_timeout_server", "200")],
            [ProxyUnderTest.User(FastUser, FastPassword) with { FastForward = true }]);
        await using var proxy = ProxyUnderTest.Start(config, output);
        var log = new CapturedLog();
        await using var dataSource = CompressedSource(proxy, log, FastUser, FastPassword);

        var error = await Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await new MySqlCommand("SELECT 1", connection).ExecuteScalarAsync();
        });

        Assert.True(log.Contains("supports: compression True"), "MySqlConnector did not negotiate compression:\n" + log);
        Assert.True(error.Number is 9001 or 9002, $"{error.Number}: {error.Message}");
        Assert.Contains("hostgroup 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_have_compress_the_link_stays_plain()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-have_compress", "false")]);

        var status = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--compress", "-e", "\\s"]);

        Assert.True(status.Succeeded, status.StandardError);
        Assert.DoesNotContain("Compressed", status.StandardOutput, StringComparison.Ordinal);
    }
}
