using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Admin;

public sealed class ConfigFileCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxylayer-cnf-").FullName;

    [Fact]
    public void Select_config_file_renders_memory_as_one_data_row()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname, port) VALUES (10, 'db001', 3306)");

        var rows = admin.Rows("SELECT CONFIG FILE");

        Assert.Equal(["Data"], rows.Columns);
        var text = Assert.Single(rows.Values)[0]!;
        Assert.Contains("db001", text, StringComparison.Ordinal);
        Assert.Contains("mysql_variables", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_config_file_reads_back_into_another_store()
    {
        var path = Path.Combine(_directory, "saved.cnf");
        using (var admin = new AdminHarness())
        {
            admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (10, 'db001'); SET mysql-max_connections = 123");
            Assert.Equal($"File {path} is saved.", admin.Ok($"SAVE CONFIG TO FILE {path}").Info);
            admin.Ok($"SELECT CONFIG INTO OUTFILE {path}.2");
            Assert.Equal(File.ReadAllText(path), File.ReadAllText(path + ".2"));
        }

        using var other = new AdminHarness(AdminStore.OpenInMemory(ConfigFileSource.FromPath(path)));
        Assert.Equal(1, other.Ok("LOAD MYSQL SERVERS FROM CONFIG").AffectedRows);
        other.Ok("LOAD MYSQL VARIABLES FROM CONFIG");
        Assert.Equal("db001", other.Scalar("SELECT hostname FROM mysql_servers"));
        Assert.Equal("123", other.Scalar("SELECT variable_value FROM global_variables WHERE variable_name='mysql-max_connections'"));
    }

    [Fact]
    public void Unreadable_config_file_is_an_error_not_an_exception()
    {
        using var admin = new AdminHarness(AdminStore.OpenInMemory(ConfigFileSource.FromPath(Path.Combine(_directory, "missing.cnf"))));
        Assert.Contains("missing.cnf", admin.Error("LOAD MYSQL USERS FROM CONFIG").Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
