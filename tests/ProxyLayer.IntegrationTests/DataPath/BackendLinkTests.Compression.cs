using System.Globalization;
using System.Text;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary><c>compression=1</c>: the compressed protocol to the backend, alone and under TLS.</summary>
public sealed partial class BackendLinkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Compressed_backend_connection_carries_large_results_and_blobs(bool useSsl)
    {
        await using var proxy = StartProxy(_server, useSsl, compression: true);
        // The TLS-only account proves TLS where it is on; the ordinary one works either way.
        await using var connection = useSsl ? await OpenAsTlsUserAsync(proxy) : await proxy.OpenAsync();

        Assert.Equal("ON", await SessionStatusAsync(connection, "Compression"));
        Assert.Equal(useSsl, await SessionStatusAsync(connection, "Ssl_cipher") != "");
        await AssertLargeResultSetAsync(connection);
        await AssertBlobRoundTripsAsync(connection);
        // Still the same backend connection, still compressed, after all that.
        Assert.Equal("ON", await SessionStatusAsync(connection, "Compression"));
    }

    [Fact]
    public async Task Idle_compressed_tls_connection_is_reused_from_the_pool()
    {
        await using var proxy = StartProxy(_server, useSsl: true, compression: true);
        await AssertConnectionIsReusedAsync(proxy, () => OpenAsTlsUserAsync(proxy));
    }

    [Fact]
    public async Task Another_users_idle_compressed_tls_connection_is_logged_in_again_with_change_user()
    {
        await using var proxy = StartProxy(_server, useSsl: true, compression: true);
        long firstId;
        await using (var app = await proxy.OpenAsync())
        {
            await using var id = new MySqlCommand("SELECT @@pseudo_thread_id", app);
            firstId = Convert.ToInt64(await id.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Backend.IdleConnections == 1), TimeSpan.FromSeconds(10)));

        await using var tlsUser = await OpenAsTlsUserAsync(proxy);
        await using var who = new MySqlCommand("SELECT CURRENT_USER(), CONNECTION_ID()", tlsUser);
        await using (var reader = await who.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal($"{TlsMariaDbFixture.TlsUser}@%", reader.GetString(0));
            Assert.Equal(firstId, Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
        Assert.Equal("ON", await SessionStatusAsync(tlsUser, "Compression"));
        Assert.Equal(1, proxy.Backend.ConnectOk);
    }

    [Fact]
    public async Task Load_data_local_infile_crosses_a_compressed_tls_link()
    {
        // libmariadb sends the file in 4 KB packets: 1.3 MB takes over 300, so packet sequence ids wrap through 0
        // while the frames' ids must keep counting.
        const int rows = 100_000;
        var table = await Scratch.CreateTableAsync(_server, "link_load", "id INT PRIMARY KEY, name VARCHAR(32)");
        var file = Path.Combine(Path.GetTempPath(), $"proxylayer-link-load-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder();
        for (var i = 1; i <= rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},name-{i}\n");
        await File.WriteAllTextAsync(file, text.ToString());
        try
        {
            await using var proxy = StartProxy(_server, useSsl: true, compression: true);

            var result = await MariaDbCli.RunAsync(
                [.. proxy.CliArguments(TlsMariaDbFixture.TlsUser, TlsMariaDbFixture.TlsPassword), "--local-infile=1", "-e",
                 $"LOAD DATA LOCAL INFILE '{file}' INTO TABLE {table} FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n'; " +
                 "SHOW SESSION STATUS WHERE Variable_name IN ('Compression', 'Ssl_version')"]);

            Assert.True(result.Succeeded, result.StandardError);
            Assert.Contains("Compression\tON", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("Ssl_version\tTLSv1.", result.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(rows, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));
            Assert.Equal((long)rows * (rows + 1) / 2, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
