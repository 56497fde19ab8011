using System.Globalization;
using System.Text;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>The stock <c>mariadb</c> command-line client through the proxy.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class StockClientTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Select_returns_the_backends_row()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        var result = await MariaDbCli.RunAsync(
            [.. proxy.CliArguments(), "--batch", "--skip-column-names", "-e", "select @@hostname, now()"]);

        Assert.True(result.Succeeded, result.StandardError);
        var columns = result.StandardOutput.Trim().Split('\t');
        Assert.Equal(2, columns.Length);
        Assert.Equal(_server.ExpectedHostname, columns[0]);
        var proxied = DateTime.ParseExact(columns[1], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var direct = Convert.ToDateTime(await _server.QueryScalarAsync("SELECT now()"), CultureInfo.InvariantCulture);
        Assert.InRange((direct - proxied).TotalSeconds, 0, 30);
    }

    [Fact]
    public async Task Wrong_password_is_denied_like_the_server_does()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        var result = await MariaDbCli.RunAsync([.. proxy.CliArguments(password: "wrong"), "-e", "select 1"]);

        Assert.False(result.Succeeded);
        Assert.Equal(
            "ERROR 1045 (28000): Access denied for user 'appuser'@'127.0.0.1' (using password: YES)",
            result.StandardError.Trim());
    }

    [Fact]
    public async Task Unknown_user_is_denied_like_the_server_does()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        var result = await MariaDbCli.RunAsync([.. proxy.CliArguments(user: "nosuchuser", password: "whatever"), "-e", "select 1"]);

        Assert.False(result.Succeeded);
        Assert.Equal(
            "ERROR 1045 (28000): Access denied for user 'nosuchuser'@'127.0.0.1' (using password: YES)",
            result.StandardError.Trim());
    }

    [Fact]
    public async Task Load_data_local_infile_from_the_cli_arrives_complete()
    {
        const int rows = 100_000;
        var table = await Scratch.CreateTableAsync(_server, "cli_load", "id INT PRIMARY KEY, name VARCHAR(32)");
        var file = Path.Combine(Path.GetTempPath(), $"proxylayer-cli-load-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder();
        for (var i = 1; i <= rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},name-{i}\n");
        await File.WriteAllTextAsync(file, text.ToString());
        try
        {
            await using var proxy = ProxyUnderTest.StartFor(_server, output);

            var result = await MariaDbCli.RunAsync(
                [.. proxy.CliArguments(), "--local-infile=1", "-e",
                 $"LOAD DATA LOCAL INFILE '{file}' INTO TABLE {table} FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n'"]);

            Assert.True(result.Succeeded, result.StandardError);
            Assert.Equal(rows, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));
            Assert.Equal((long)rows * (rows + 1) / 2, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
            Assert.Equal(1, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table} WHERE id = {rows} AND name = 'name-{rows}'"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
