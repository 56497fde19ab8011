using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

public sealed class SingleServerTests(MariaDbFixture fixture) : IClassFixture<MariaDbFixture>
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Hostname_is_the_server_name_when_isolated()
    {
        var hostname = await _server.QueryScalarAsync("SELECT @@hostname");

        Assert.Equal(_server.ExpectedHostname, hostname);
        if (RigEnvironment.IsRoot)
            Assert.True(_server.HasOwnHostname, "running as root, each server should get its own UTS namespace");
    }

    [Fact]
    public async Task App_user_connects_over_tcp_with_MySqlConnector()
    {
        await using var connection = await _server.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");
        await using var command = new MySqlCommand("SELECT CURRENT_USER(), @@hostname", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal("appuser@%", reader.GetString(0));
        Assert.Equal(_server.ExpectedHostname, reader.GetString(1));
    }

    [Fact]
    public async Task App_user_connects_over_tcp_with_the_cli()
    {
        var arguments = MariaDbCli.TcpArguments(_server.Host, _server.Port, RigCredentials.AppUser, RigCredentials.AppPassword);

        var result = await MariaDbCli.RunAsync([.. arguments, "--batch", "--skip-column-names", "-e", "SELECT CURRENT_USER(), @@hostname"]);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal($"appuser@%\t{_server.ExpectedHostname}", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Cli_reads_statements_from_standard_input()
    {
        var arguments = MariaDbCli.TcpArguments(_server.Host, _server.Port, RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");

        var result = await MariaDbCli.RunAsync([.. arguments, "--batch", "--skip-column-names"], "SELECT 40 + 2;\n");

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal("42", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Wrong_password_is_rejected()
    {
        var exception = await Assert.ThrowsAsync<MySqlException>(
            () => _server.OpenConnectionAsync(RigCredentials.AppUser, "not-the-password"));

        Assert.Equal(MySqlErrorCode.AccessDenied, exception.ErrorCode);
    }

    [Fact]
    public async Task There_are_no_anonymous_accounts()
    {
        var anonymous = await _server.QueryScalarAsync("SELECT COUNT(*) FROM mysql.global_priv WHERE User = ''");

        Assert.Equal(0L, Convert.ToInt64(anonymous, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Demo_insert_works_on_the_two_column_table()
    {
        await using var connection = await _server.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);
        await using var insert = new MySqlCommand("insert into testdb.insert_test select @@hostname,now()", connection);

        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        var columns = await _server.QueryScalarAsync(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'testdb' AND table_name = 'insert_test'");
        Assert.Equal(2L, Convert.ToInt64(columns, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Monitor_user_can_read_replication_and_read_only_state()
    {
        await using var connection = await _server.OpenConnectionAsync(RigCredentials.MonitorUser, RigCredentials.MonitorPassword);
        await using var readOnly = new MySqlCommand("SELECT @@global.read_only", connection);
        await using var replicaStatus = new MySqlCommand("SHOW SLAVE STATUS", connection);

        Assert.Equal(0L, Convert.ToInt64(await readOnly.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        await replicaStatus.ExecuteNonQueryAsync();
    }
}
