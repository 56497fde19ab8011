using ProxyLayer.Admin;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Admin;

public sealed class StartupPrecedenceTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("proxylayer-admin-").FullName;
    private ProxyConfig _fileContent = ProxyConfig.Empty with { Servers = [new ServerConfig { HostgroupId = 1, Hostname = "from-file" }] };

    private ConfigFileSource File => new("/etc/proxysql.cnf", () => _fileContent);

    [Fact]
    public void Without_a_database_the_file_initialises_memory_and_disk()
    {
        using var opened = Open(initial: false, reload: false);

        Assert.Equal(AdminStartupSource.ConfigFile, opened.Source);
        Assert.Contains("not found", opened.Message, StringComparison.Ordinal);
        Assert.Equal(["from-file"], Hostnames(opened.Store, AdminLayer.Memory));
        Assert.Equal(["from-file"], Hostnames(opened.Store, AdminLayer.Disk));
        Assert.True(System.IO.File.Exists(Path.Combine(_dataDirectory, "proxysql.db")));
    }

    [Fact]
    public void Restart_without_flags_keeps_the_database_and_says_why_the_file_is_ignored()
    {
        CreateDatabaseWithExtraServer();
        _fileContent = ProxyConfig.Empty with { Servers = [new ServerConfig { HostgroupId = 1, Hostname = "changed-file" }] };

        using var opened = Open(initial: false, reload: false);

        Assert.Equal(AdminStartupSource.Database, opened.Source);
        Assert.Equal(
            $"proxysql.db exists in {_dataDirectory}: using it and ignoring /etc/proxysql.cnf; start with --initial to rebuild from the file or --reload to merge it",
            opened.Message);
        Assert.Equal(["added-by-admin", "from-file"], Hostnames(opened.Store, AdminLayer.Memory));
    }

    [Fact]
    public void Initial_moves_the_database_aside_and_starts_from_the_file()
    {
        CreateDatabaseWithExtraServer();
        _fileContent = ProxyConfig.Empty with { Servers = [new ServerConfig { HostgroupId = 1, Hostname = "changed-file" }] };

        using var opened = Open(initial: true, reload: false);

        Assert.Equal(AdminStartupSource.ConfigFile, opened.Source);
        Assert.Contains("--initial", opened.Message, StringComparison.Ordinal);
        Assert.Equal(["changed-file"], Hostnames(opened.Store, AdminLayer.Memory));
        Assert.Equal(["changed-file"], Hostnames(opened.Store, AdminLayer.Disk));
        Assert.True(System.IO.File.Exists(Path.Combine(_dataDirectory, "proxysql.db.bak")));
    }

    [Fact]
    public void Reload_merges_the_file_into_the_database()
    {
        CreateDatabaseWithExtraServer();
        _fileContent = ProxyConfig.Empty with { Servers = [new ServerConfig { HostgroupId = 1, Hostname = "changed-file" }] };

        using var opened = Open(initial: false, reload: true);

        Assert.Equal(AdminStartupSource.DatabaseMergedWithConfigFile, opened.Source);
        Assert.Equal(["added-by-admin", "changed-file", "from-file"], Hostnames(opened.Store, AdminLayer.Memory));
        Assert.Equal(["added-by-admin", "changed-file", "from-file"], Hostnames(opened.Store, AdminLayer.Disk));
    }

    [Fact]
    public void Saved_variables_survive_a_restart_and_host_loads_memory_into_runtime()
    {
        using (var first = Open(initial: false, reload: false))
        {
            var admin = new AdminHarness(first.Store);
            admin.Ok("SET mysql-max_connections = 77; SAVE MYSQL VARIABLES TO DISK");
        }
        using var second = Open(initial: false, reload: false);
        var runtime = new FakeRuntimeConfig();
        var executor = new AdminStatementExecutor(second.Store, runtime);

        Assert.True(executor.LoadAllToRuntime().Succeeded);

        Assert.Equal("77", runtime.Current.Variables["mysql-max_connections"]);
        Assert.Equal(["from-file"], runtime.Current.Servers.Select(s => s.Hostname));
    }

    private void CreateDatabaseWithExtraServer()
    {
        using var first = Open(initial: false, reload: false);
        var admin = new AdminHarness(first.Store);
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (2, 'added-by-admin'); SAVE MYSQL SERVERS TO DISK");
    }

    private OpenedStore Open(bool initial, bool reload) => new(AdminStore.Open(_dataDirectory, File, initial, reload));

    private static string[] Hostnames(AdminStore store, AdminLayer layer) =>
        [.. store.ReadConfig(layer).Servers.Select(s => s.Hostname).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private sealed class OpenedStore(AdminOpenResult result) : IDisposable
    {
        public AdminStore Store => result.Store;
        public AdminStartupSource Source => result.Source;
        public string Message => result.Message;
        public void Dispose() => result.Store.Dispose();
    }
}
