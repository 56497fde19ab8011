using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.DataPath;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Scheduler;

/// <summary>The <c>scheduler</c> section of proxysql.cnf and the table's moves between CONFIG, MEMORY, DISK and RUNTIME.</summary>
public sealed class SchedulerConfigTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SchedulerRig _rig = SchedulerRig.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static string Rows(string table) => $"SELECT id, active, interval_ms, filename, arg1, arg2, arg3, arg4, arg5, comment FROM {table} ORDER BY id";

    [Fact]
    public async Task The_config_file_section_is_loaded_run_and_written_back_and_every_layer_move_carries_the_rows()
    {
        var script = _rig.Script("boot.sh", $"echo \"$1\" >> {_rig.PathOf("boot")}");
        await _rig.StartAsync(output, $$"""
            scheduler =
            (
                { id=1, active=1, interval_ms=200, filename="{{script}}", arg1="from the file", comment="runs at start" },
                { id=7, active=0, interval_ms=60000, filename="/usr/local/bin/galera_check", arg1="--writer-hg=10", arg2="", comment="off" }
            )
            """);
        var expected = $"1\t1\t200\t{script}\tfrom the file\tNULL\tNULL\tNULL\tNULL\truns at start\n" +
                       "7\t0\t60000\t/usr/local/bin/galera_check\t--writer-hg=10\t\tNULL\tNULL\tNULL\toff\n";

        // Loaded to MEMORY and RUNTIME at the first start, and the active row runs.
        Assert.Equal(expected, await _rig.AdminAsync(Rows("scheduler")));
        Assert.Equal(expected, await _rig.AdminAsync(Rows("runtime_scheduler")));
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("boot").Length >= 2), TimeSpan.FromSeconds(10)));
        Assert.All(_rig.Lines("boot"), l => Assert.Equal("from the file", l));

        // MEMORY → DISK → MEMORY, RUNTIME → MEMORY, CONFIG → MEMORY each bring the same rows back.
        await _rig.AdminAsync("SAVE SCHEDULER TO DISK; DELETE FROM scheduler; LOAD SCHEDULER FROM DISK;");
        Assert.Equal(expected, await _rig.AdminAsync(Rows("scheduler")));
        await _rig.AdminAsync("DELETE FROM scheduler; SAVE SCHEDULER FROM RUNTIME;");
        Assert.Equal(expected, await _rig.AdminAsync(Rows("scheduler")));
        await _rig.AdminAsync("DELETE FROM scheduler; LOAD SCHEDULER FROM CONFIG;");
        Assert.Equal(expected, await _rig.AdminAsync(Rows("scheduler")));

        // SAVE CONFIG TO FILE writes the section so that it reads back to the same rows.
        await _rig.AdminAsync("SAVE CONFIG TO FILE 'saved.cnf'");
        var saved = ConfigFileReader.Read(Path.Combine(_rig.Datadir, "saved.cnf"));
        var original = ConfigFileReader.Read(_rig.ConfigPath);
        Assert.Equal(original.Config.Scheduler.ToArray(), saved.Config.Scheduler.ToArray());
        Assert.Equal(2, saved.Config.Scheduler.Length);
        Assert.Empty(saved.Warnings);
    }
}
