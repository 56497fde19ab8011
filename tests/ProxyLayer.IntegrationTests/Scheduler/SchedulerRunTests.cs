using System.Diagnostics;
using System.Globalization;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Scheduler;

/// <summary>
/// Scheduler rows run real programs (shell scripts in a temporary directory) through the admin interface's LOAD
/// SCHEDULER TO RUNTIME. Timing-sensitive: they run alone, and every bound is wide enough for a loaded 2-core machine.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class SchedulerRunTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SchedulerRig _rig = SchedulerRig.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    /// <summary>A process that exists and is not a zombie (one killed whose parent did not reap it yet is dead).</summary>
    private static bool IsAlive(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    private static long[] Times(IEnumerable<string> lines, int field) =>
        [.. lines.Select(l => long.Parse(l.Split('|')[field], CultureInfo.InvariantCulture))];

    [Fact]
    public async Task An_active_row_runs_its_program_every_interval_with_its_arguments_unsplit()
    {
        var script = _rig.Script("tick.sh", """printf '%s|%s|%s\n' "$2" "$#" "$(/bin/date +%s%3N)" >> "$1" """);
        await _rig.StartAsync(output);

        await _rig.AdminAsync($"""
            INSERT INTO scheduler (id, active, interval_ms, filename, arg1, arg2) VALUES (1, 1, 300, '{script}', '{_rig.PathOf("ticks")}', 'two words');
            LOAD SCHEDULER TO RUNTIME;
            """);
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("ticks").Length >= 1), TimeSpan.FromSeconds(10)));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var lines = _rig.Lines("ticks");

        // "two words" arrives as one argument: no shell split it; and only the two non-NULL arguments were passed.
        Assert.All(lines, l => Assert.StartsWith("two words|2|", l, StringComparison.Ordinal));
        // Fixed rate of 300 ms over ≥ 3 s: about 11 runs. The mean gap may stretch (a late start, a run skipped on a
        // starved machine) but never shrink much: 0.9×–1.5× the interval, and at least 6 runs.
        Assert.InRange(lines.Length, 6, 13);
        var times = Times(lines, 2);
        var meanGap = (times[^1] - times[0]) / (double)(times.Length - 1);
        output.WriteLine($"{times.Length} runs, mean gap {meanGap:0} ms");
        Assert.InRange(meanGap, 270, 450);
        Assert.Contains("1\t1\t300\t" + script + "\t" + _rig.PathOf("ticks") + "\ttwo words\tNULL",
            await _rig.AdminAsync("SELECT * FROM runtime_scheduler"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_slower_than_its_interval_never_runs_twice_at_once()
    {
        // Each run takes ~500 ms against an interval of 100 ms.
        var script = _rig.Script("slow.sh", $"""
            echo "start|$$" >> {_rig.PathOf("slow")}
            /bin/sleep 0.5
            echo "end|$$" >> {_rig.PathOf("slow")}
            """);
        await _rig.StartAsync(output);

        await _rig.AdminAsync($"INSERT INTO scheduler (id, interval_ms, filename) VALUES (5, 100, '{script}'); LOAD SCHEDULER TO RUNTIME;");
        Assert.True(await Scratch.EventuallyAsync(
            () => Task.FromResult(_rig.Lines("slow").Count(l => l.StartsWith("end|", StringComparison.Ordinal)) >= 3), TimeSpan.FromSeconds(15)));
        await _rig.AdminAsync("DELETE FROM scheduler; LOAD SCHEDULER TO RUNTIME;");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the run going on at the LOAD finishes
        var lines = _rig.Lines("slow");

        // start|p, end|p, start|q, end|q, …: every run ended before the next began.
        Assert.Equal(0, lines.Length % 2);
        for (var i = 0; i < lines.Length; i += 2)
        {
            var pid = lines[i].Split('|')[1];
            Assert.Equal(["start|" + pid, "end|" + pid], lines[i..(i + 2)]);
        }
    }

    [Fact]
    public async Task A_program_that_hangs_is_killed_with_its_children_after_admin_scheduler_timeout_ms()
    {
        // The script records its own pid and its child's, then waits for a child that would sleep for 1000 s.
        var script = _rig.Script("hang.sh", $"""
            /bin/sleep 1000 &
            echo "$$|$!|$(/bin/date +%s%3N)" >> {_rig.PathOf("hang")}
            wait
            echo survived >> {_rig.PathOf("hang")}
            """);
        await _rig.StartAsync(output);

        await _rig.AdminAsync($"""
            SET admin-scheduler_timeout_ms = 1000; LOAD ADMIN VARIABLES TO RUNTIME;
            INSERT INTO scheduler (id, interval_ms, filename) VALUES (9, 200, '{script}'); LOAD SCHEDULER TO RUNTIME;
            """);
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("hang").Length >= 2), TimeSpan.FromSeconds(20)));
        var lines = _rig.Lines("hang");

        Assert.DoesNotContain("survived", lines);
        var first = lines[0].Split('|');
        // The first run's shell and its sleeping child are both gone (killed, not merely abandoned).
        Assert.False(IsAlive(first[0]), $"script pid {first[0]} still runs");
        Assert.False(IsAlive(first[1]), $"child pid {first[1]} still runs");
        // The second run started only after the first was killed, about 1 s in (not at the next 200 ms tick).
        var times = Times(lines, 2);
        Assert.True(times[1] - times[0] >= 900, $"second run {times[1] - times[0]} ms after the first");
    }

    [Fact]
    public async Task Load_with_the_row_inactive_stops_it_and_active_again_resumes_it()
    {
        var script = _rig.Script("count.sh", $"echo run >> {_rig.PathOf("count")}");
        await _rig.StartAsync(output);
        await _rig.AdminAsync($"INSERT INTO scheduler (id, interval_ms, filename, comment) VALUES (2, 100, '{script}', 'counter'); LOAD SCHEDULER TO RUNTIME;");
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("count").Length >= 3), TimeSpan.FromSeconds(10)));

        await _rig.AdminAsync("UPDATE scheduler SET active = 0 WHERE id = 2; LOAD SCHEDULER TO RUNTIME;");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // a run started just before the LOAD may still append
        var stopped = _rig.Lines("count").Length;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(stopped, _rig.Lines("count").Length);
        // runtime_scheduler shows the inactive row, as ProxySQL's does.
        Assert.Equal($"2\t0\t100\t{script}\tcounter", (await _rig.AdminAsync("SELECT id, active, interval_ms, filename, comment FROM runtime_scheduler")).Trim());

        await _rig.AdminAsync("UPDATE scheduler SET active = 1 WHERE id = 2; LOAD SCHEDULER TO RUNTIME;");
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("count").Length >= stopped + 3), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_missing_or_non_executable_file_is_logged_clearly_and_nothing_else_suffers()
    {
        var notExecutable = _rig.PathOf("not-executable.sh");
        await File.WriteAllTextAsync(notExecutable, "#!/bin/sh\necho never\n");
        var fine = _rig.Script("fine.sh", $"echo ok >> {_rig.PathOf("fine")}");
        var log = new CapturedLog();
        await _rig.StartAsync(output, alsoLogTo: log);

        await _rig.AdminAsync($"""
            INSERT INTO scheduler (id, interval_ms, filename) VALUES (1, 100, '/nonexistent/check.sh'), (2, 100, '{notExecutable}'), (3, 100, '{fine}');
            LOAD SCHEDULER TO RUNTIME;
            """);
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("fine").Length >= 5), TimeSpan.FromSeconds(10)));

        Assert.True(log.Contains("scheduler id=1: cannot run /nonexistent/check.sh: No such file or directory"), log.ToString());
        Assert.True(log.Contains($"scheduler id=2: cannot run {notExecutable}: Permission denied"), log.ToString());
        // Said once per cause, not on every 100 ms attempt.
        Assert.Single(log.ToString().Split(Environment.NewLine), l => l.Contains("scheduler id=1: cannot run", StringComparison.Ordinal));
        Assert.Equal("1", (await _rig.AdminAsync("SELECT 1")).Trim());
    }

    [Fact]
    public async Task Stopping_the_proxy_kills_a_running_program()
    {
        var script = _rig.Script("long.sh", $"echo $$ >> {_rig.PathOf("long")}; /bin/sleep 1000");
        await _rig.StartAsync(output);
        await _rig.AdminAsync($"INSERT INTO scheduler (id, interval_ms, filename) VALUES (4, 100, '{script}'); LOAD SCHEDULER TO RUNTIME;");
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(_rig.Lines("long").Length >= 1), TimeSpan.FromSeconds(10)));
        var pid = _rig.Lines("long")[0];

        var clock = Stopwatch.StartNew();
        await _rig.StopAsync();

        Assert.False(IsAlive(pid), $"pid {pid} outlived the proxy");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
    }
}
