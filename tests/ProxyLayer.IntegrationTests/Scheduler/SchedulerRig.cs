using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Scheduler;

/// <summary>
/// A directory with shell scripts the scheduler runs and the files they write, and a proxy (admin and MySQL
/// interfaces, no backend, no monitor) started from a config file in it. Deleted with it.
/// </summary>
internal sealed class SchedulerRig : IAsyncDisposable
{
    private SchedulerRig(string directory) => Directory = directory;

    public string Directory { get; }
    public string Datadir => Path.Combine(Directory, "data");
    public string ConfigPath => Path.Combine(Directory, "proxysql.cnf");
    public AdminProxyUnderTest? Proxy { get; private set; }

    public static SchedulerRig Create()
    {
        var rig = new SchedulerRig(System.IO.Directory.CreateTempSubdirectory("proxylayer-scheduler-").FullName);
        System.IO.Directory.CreateDirectory(rig.Datadir);
        return rig;
    }

    /// <summary>Writes an executable <c>/bin/sh</c> script; the scheduler passes it an empty environment, so commands are named by path.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The lines a script appended to <paramref name="name"/> so far (none if it has not run).</summary>
    public string[] Lines(string name) => File.Exists(PathOf(name)) ? File.ReadAllLines(PathOf(name)) : [];

    public async Task<AdminProxyUnderTest> StartAsync(ITestOutputHelper output, string sections = "",
        Microsoft.Extensions.Logging.ILoggerProvider? alsoLogTo = null)
    {
        await File.WriteAllTextAsync(ConfigPath, $$"""
            datadir="{{Datadir}}"
            admin_variables = { admin_credentials="admin:admin;radmin:radmin" mysql_ifaces="127.0.0.1:6032" }
            mysql_variables = { interfaces="127.0.0.1:6033" }
            {{sections}}
            """);
        Proxy = await AdminProxyUnderTest.StartAsync(Datadir, ConfigPath, output, initial: true, monitor: false, alsoLogTo: alsoLogTo);
        return Proxy;
    }

    /// <summary>Runs admin SQL and fails the test with the client's message if it fails.</summary>
    public async Task<string> AdminAsync(string sql)
    {
        var result = await Proxy!.AdminAsync(sql);
        Assert.True(result.Succeeded, $"{sql}: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>Stops the proxy, as the process does at exit.</summary>
    public async Task StopAsync()
    {
        if (Proxy is { } proxy)
        {
            Proxy = null;
            await proxy.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        RigDirectory.TryDelete(Directory);
    }
}
