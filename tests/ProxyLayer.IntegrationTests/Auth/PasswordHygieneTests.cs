using System.Text;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using ProxyLayer.Protocol.Auth;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// The admin side of authentication, through the stock client: admin-hash_passwords leaves no clear text anywhere
/// (admin tables, disk, a saved config file, stats, the log), admin credentials may be hashes, and the admin
/// interface speaks TLS and can require it.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class PasswordHygieneTests(MariaDbFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string Password = "Hygiene-Pw-5d21c";
    private readonly MariaDbServer _server = fixture.Server;
    private readonly RecordingOutput _output = new(output);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("proxylayer-hygiene-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Datadir => Directory.CreateDirectory(Path.Combine(_directory.FullName, "data")).FullName;

    private static async Task<string> AdminOkAsync(AdminProxyUnderTest proxy, string sql)
    {
        var result = await proxy.AdminAsync(sql);
        Assert.True(result.Succeeded, result.StandardError);
        return result.StandardOutput;
    }

    [Fact]
    public async Task With_hash_passwords_the_clear_text_is_nowhere_after_logins_failed_logins_and_saves()
    {
        await AuthServer.CreateNativeUserAsync(_server, "hygiene", Password);
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, null, _output, monitor: false);
        await AdminOkAsync(proxy, $"""
            INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10, '127.0.0.1', {_server.Port});
            LOAD MYSQL SERVERS TO RUNTIME;
            SET admin-hash_passwords = 'true';
            LOAD ADMIN VARIABLES TO RUNTIME;
            INSERT INTO mysql_users(username, password, default_hostgroup) VALUES ('hygiene', '{Password}', 10);
            LOAD MYSQL USERS TO RUNTIME;
            """);

        var stored = await AdminOkAsync(proxy, "SELECT password FROM mysql_users WHERE username='hygiene'; SELECT password FROM runtime_mysql_users WHERE username='hygiene';");
        Assert.All(stored.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Equal(MysqlNativePassword.HashPassword(Password), line));

        // A user stored only as a hash logs in, and the proxy logs in to the server with what the client proved.
        var login = await proxy.MySqlAsync("SELECT CURRENT_USER()", "hygiene", Password);
        Assert.True(login.Succeeded, login.StandardError);
        Assert.Equal("hygiene@%\n", login.StandardOutput);
        var wrong = await proxy.MySqlAsync("SELECT 1", "hygiene", Password + "-wrong");
        Assert.Contains("ERROR 1045 (28000)", wrong.StandardError, StringComparison.Ordinal);

        var savedFile = Path.Combine(Datadir, "saved.cnf");
        await AdminOkAsync(proxy, $"SAVE MYSQL USERS TO DISK; SAVE CONFIG TO FILE '{savedFile}';");
        var stats = await AdminOkAsync(proxy, """
            SELECT * FROM stats_mysql_users; SELECT * FROM stats_mysql_processlist; SELECT * FROM stats_mysql_global;
            SELECT * FROM stats_mysql_query_digest; SELECT * FROM stats_mysql_connection_pool; SELECT * FROM stats_mysql_failed_logins;
            SELECT * FROM runtime_mysql_users; SELECT * FROM mysql_users;
            """);
        Assert.Contains("hygiene", stats, StringComparison.Ordinal);
        var failed = await AdminOkAsync(proxy, "SELECT username, client_address, failed_logins FROM stats_mysql_failed_logins");
        Assert.Equal("hygiene\t127.0.0.1\t1\n", failed);
        Assert.Contains("hygiene", File.ReadAllText(savedFile), StringComparison.Ordinal);

        Assert.DoesNotContain(Password, stats, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, File.ReadAllText(savedFile), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _output.Text, StringComparison.Ordinal);
        var secret = Encoding.UTF8.GetBytes(Password);
        foreach (var file in Directory.EnumerateFiles(Datadir, "*", SearchOption.AllDirectories))
            Assert.False(File.ReadAllBytes(file).AsSpan().IndexOf(secret) >= 0, $"{file} holds the clear-text password");
    }

    [Fact]
    public async Task Admin_interface_speaks_tls_can_require_it_and_takes_hashed_credentials()
    {
        var tls = FrontendTls.LoadOrCreate(Datadir);
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, null, _output, monitor: false, tls: tls);
        var ca = Path.Combine(Datadir, FrontendTls.CaFile);
        string[] overTls = ["--ssl", $"--ssl-ca={ca}", "--ssl-verify-server-cert=0"];
        IReadOnlyList<string> Admin(string user, string password) => MariaDbCli.TcpArguments("127.0.0.1", proxy.AdminPort, user, password);

        var status = await MariaDbCli.RunAsync([.. Admin("radmin", "radmin"), .. overTls, "-e", "status"]);
        Assert.True(status.Succeeded, status.StandardError);
        Assert.Contains("Cipher in use is", status.StandardOutput, StringComparison.Ordinal);

        await AdminOkAsync(proxy, $"""
            SET admin-admin_credentials = 'admin:admin;radmin:radmin;hashadm:{MysqlNativePassword.HashPassword("hash-adm-pw")}';
            SET admin-ssl_required = 'true';
            LOAD ADMIN VARIABLES TO RUNTIME;
            """);
        var plain = await MariaDbCli.RunAsync([.. Admin("radmin", "radmin"), "--skip-ssl", "-e", "SELECT 1"]);
        Assert.False(plain.Succeeded);
        Assert.Contains("ERROR 1045 (28000)", plain.StandardError, StringComparison.Ordinal);
        Assert.Contains("requires SSL", plain.StandardError, StringComparison.Ordinal);

        var hashed = await MariaDbCli.RunAsync([.. Admin("hashadm", "hash-adm-pw"), .. overTls, "--batch", "--skip-column-names", "-e", "SELECT 1"]);
        Assert.True(hashed.Succeeded, hashed.StandardError);
        var wrong = await MariaDbCli.RunAsync([.. Admin("hashadm", "other"), .. overTls, "-e", "SELECT 1"]);
        Assert.Contains("ERROR 1045 (28000)", wrong.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_typo_stops_the_binary_with_the_line_and_without_the_password()
    {
        // What a person sees when the process gives up at start: the message must point at the line, never print the secret.
        using var directory = new Hardening.TemporaryDirectory();
        var config = directory.Write("proxysql.cnf", $$"""
            admin_variables = { admin_credentials="admin:admin" mysql_ifaces="127.0.0.1:{{PortAllocator.GetFreePort()}}" }
            mysql_variables = { interfaces="127.0.0.1:{{PortAllocator.GetFreePort()}}" }
            mysql_users = (
              { username="hygiene" password "{{Password}}" default_hostgroup=10 }
            )
            """);
        var binary = Path.Combine(AppContext.BaseDirectory, "proxylayer");

        var result = await ProcessRunner.RunAsync(binary, ["-f", "-M", "-c", config, "-D", directory.Path], null, TimeSpan.FromSeconds(60),
            CancellationToken.None);

        output.WriteLine(result.StandardOutput + result.StandardError);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("proxysql.cnf:4:", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
