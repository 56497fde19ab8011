using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// TLS between clients and the proxy (<c>mysql-have_ssl</c>), with the certificate the proxy generates in its data
/// directory as ProxySQL does; the backend link stays plain.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ClientTlsTests(MariaDbFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string SslOnlyUser = "sslonly";
    private readonly MariaDbServer _server = fixture.Server;
    private readonly DirectoryInfo _datadir = Directory.CreateTempSubdirectory("proxylayer-client-tls-");

    public void Dispose() => _datadir.Delete(recursive: true);

    private string CaPath => Path.Combine(_datadir.FullName, FrontendTls.CaFile);

    private ProxyUnderTest StartProxy(bool haveSsl = true)
    {
        var sslOnly = ProxyUnderTest.User(SslOnlyUser, RigCredentials.AppPassword) with { UseSsl = true };
        var config = ProxyUnderTest.ConfigFor(_server.Port, [new("mysql-have_ssl", haveSsl ? "true" : "false")], [sslOnly]);
        return ProxyUnderTest.Start(config, output, FrontendTls.LoadOrCreate(_datadir.FullName));
    }

    [Fact]
    public async Task Client_verifying_the_generated_ca_gets_tls_and_a_20_MB_blob_round_trips()
    {
        await _server.ExecuteAsync("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
        await using var proxy = StartProxy();
        await using var connection = await proxy.OpenAsync(configure: b =>
        {
            b.SslMode = MySqlSslMode.VerifyCA;
            b.SslCa = CaPath;
        });

        await using (var one = new MySqlCommand("SELECT 1", connection))
            Assert.Equal(1L, Convert.ToInt64(await one.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        var data = new byte[20 * 1024 * 1024];
        new Random(5).NextBytes(data);
        await using var echo = new MySqlCommand("SELECT @data", connection);
        echo.Parameters.AddWithValue("@data", data);
        var echoed = (byte[])(await echo.ExecuteScalarAsync())!;
        Assert.True(data.AsSpan().SequenceEqual(echoed), "the blob came back different");
    }

    [Fact]
    public async Task Stock_client_with_ssl_reports_a_cipher()
    {
        await using var proxy = StartProxy();

        var result = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--ssl", $"--ssl-ca={CaPath}", "-e", "status"]);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("Cipher in use is", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_have_ssl_a_client_requiring_tls_gets_a_clear_error()
    {
        await using var proxy = StartProxy(haveSsl: false);

        var error = await Assert.ThrowsAsync<MySqlException>(() => proxy.OpenAsync(configure: b => b.SslMode = MySqlSslMode.Required));

        Assert.Contains("SSL", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task User_with_use_ssl_must_connect_over_tls()
    {
        await using var proxy = StartProxy();
        await Scratch.CreateUserAsync(_server, SslOnlyUser, RigCredentials.AppPassword);

        await using var plain = new MySqlConnection(proxy.ConnectionString(SslOnlyUser, RigCredentials.AppPassword));
        var refused = await Assert.ThrowsAsync<MySqlException>(() => plain.OpenAsync());
        Assert.Equal(MySqlErrorCode.AccessDenied, refused.ErrorCode);
        Assert.Contains("must connect with SSL", refused.Message, StringComparison.Ordinal);

        await using var overTls = new MySqlConnection(proxy.ConnectionString(SslOnlyUser, RigCredentials.AppPassword,
            configure: b => b.SslMode = MySqlSslMode.Required));
        await overTls.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, overTls.State);
    }
}
