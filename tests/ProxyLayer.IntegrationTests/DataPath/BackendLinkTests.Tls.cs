using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Monitor;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary><c>use_ssl=1</c>: TLS to the backend under <c>mysql-ssl_p2s_*</c>.</summary>
public sealed partial class BackendLinkTests
{
    [Fact]
    public async Task Account_that_requires_tls_cannot_log_in_without_it()
    {
        var direct = new MySqlConnectionStringBuilder(_server.ConnectionString(TlsMariaDbFixture.TlsUser, TlsMariaDbFixture.TlsPassword))
        {
            SslMode = MySqlSslMode.None,
        };
        await using var connection = new MySqlConnection(direct.ConnectionString);
        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());
        Assert.Equal(MySqlErrorCode.AccessDenied, error.ErrorCode);

        // Nor through the proxy with use_ssl=0: the client gets the backend's refusal.
        await using var proxy = StartProxy(_server, useSsl: false, compression: false);
        var refused = await Assert.ThrowsAsync<MySqlException>(() => OpenAsTlsUserAsync(proxy));
        Assert.Equal(MySqlErrorCode.AccessDenied, refused.ErrorCode);
    }

    [Fact]
    public async Task Use_ssl_backend_connection_runs_over_tls()
    {
        await using var proxy = StartProxy(_server, useSsl: true, compression: false);
        await using var connection = await OpenAsTlsUserAsync(proxy);

        Assert.NotEqual("", await SessionStatusAsync(connection, "Ssl_cipher"));
        Assert.StartsWith("TLSv1.", await SessionStatusAsync(connection, "Ssl_version"), StringComparison.Ordinal);
        Assert.Equal("OFF", await SessionStatusAsync(connection, "Compression"));
    }

    [Fact]
    public async Task Idle_tls_connection_is_reused_from_the_pool()
    {
        await using var proxy = StartProxy(_server, useSsl: true, compression: false);
        await AssertConnectionIsReusedAsync(proxy, () => OpenAsTlsUserAsync(proxy));
    }

    [Fact]
    public async Task Blob_of_20_MB_and_a_large_result_set_cross_a_tls_backend_link()
    {
        await using var proxy = StartProxy(_server, useSsl: true, compression: false);
        await using var connection = await OpenAsTlsUserAsync(proxy);

        await AssertBlobRoundTripsAsync(connection);
        await AssertLargeResultSetAsync(connection);
    }

    [Fact]
    public async Task Server_certificate_is_verified_against_the_configured_ca()
    {
        await using (var trusting = StartProxy(_server, useSsl: true, compression: false, ("mysql-ssl_p2s_ca", fixture.Certificates.CaPath)))
        {
            await using var connection = await OpenAsTlsUserAsync(trusting);
            Assert.NotEqual("", await SessionStatusAsync(connection, "Ssl_cipher"));
        }

        var otherDirectory = Directory.CreateTempSubdirectory("proxylayer-other-ca-");
        try
        {
            var otherCa = TestCertificates.Create(otherDirectory.FullName, "other").CaPath;
            await using var distrusting = StartProxy(_server, useSsl: true, compression: false,
                ("mysql-ssl_p2s_ca", otherCa), ("mysql-connect_timeout_server_max", "1500"));
            var error = await Assert.ThrowsAsync<MySqlException>(() => OpenAsTlsUserAsync(distrusting));
            Assert.Contains("TLS handshake with 127.0.0.1:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            otherDirectory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Use_ssl_on_a_server_without_tls_is_a_clear_error()
    {
        await using var proxy = StartProxy(plain.Server, useSsl: true, compression: false, ("mysql-connect_timeout_server_max", "1500"));

        var error = await Assert.ThrowsAsync<MySqlException>(() => proxy.OpenAsync());
        Assert.Contains("does not offer SSL, but use_ssl=1 for it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_probes_a_use_ssl_server_over_tls()
    {
        await using var probe = new MySqlServerProbe();
        var server = new ServerAddress(_server.Host, _server.Port);
        var tls = new ProbeTls("", "", "");

        var overTls = await probe.ConnectAsync(new ProbeTarget(server, TlsMariaDbFixture.TlsMonitorUser, TlsMariaDbFixture.TlsMonitorPassword, tls), default);
        var ping = await probe.PingAsync(new ProbeTarget(server, TlsMariaDbFixture.TlsMonitorUser, TlsMariaDbFixture.TlsMonitorPassword, tls), default);
        var verified = await probe.ConnectAsync(new ProbeTarget(server, TlsMariaDbFixture.TlsMonitorUser, TlsMariaDbFixture.TlsMonitorPassword,
            new ProbeTls(fixture.Certificates.CaPath, "", "")), default);
        var plainProbe = await probe.ConnectAsync(new ProbeTarget(server, TlsMariaDbFixture.TlsMonitorUser, TlsMariaDbFixture.TlsMonitorPassword), default);

        Assert.Null(overTls.Failure);
        Assert.Null(ping.Failure);
        Assert.Null(verified.Failure);
        Assert.Equal(ProbeFailureKind.AccessDenied, plainProbe.Failure?.Kind);
    }
}
