using System.Diagnostics;
using System.Globalization;
using System.Net;
using ProxyLayer.NetFuzz.Fuzzing;

namespace ProxyLayer.NetFuzz;

/// <summary>
/// proxylayer-netfuzz: a long network fuzz run against a running proxy (scripts/fuzz.sh starts one), with health
/// checks during the run and a summary at the end. Exit code 0 only if every health check passed.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: proxylayer-netfuzz --mysql HOST:PORT [--admin HOST:PORT] [--seconds N] [--concurrency N]
                                  [--user U --password P] [--admin-user U --admin-password P]
                                  [--canary-table SCHEMA.TABLE] [--check-every SECONDS] [--seed N] [--pid PROXY_PID]
                                  [--skip "CASE NAME,CASE NAME"]
        """;

    public static async Task<int> Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            options[args[i]] = args[i + 1];
        if (!options.TryGetValue("--mysql", out var mysqlAddress) || args.Length % 2 != 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
        int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        var mysql = new FuzzTarget("mysql", IPEndPoint.Parse(mysqlAddress), Option("--user", "appuser"), Option("--password", "apppass"));
        FuzzTarget? admin = options.TryGetValue("--admin", out var adminAddress)
            ? new FuzzTarget("admin", IPEndPoint.Parse(adminAddress), Option("--admin-user", "radmin"), Option("--admin-password", "radmin"))
            : null;
        var duration = TimeSpan.FromSeconds(Number("--seconds", 60));
        var checkEvery = TimeSpan.FromSeconds(Number("--check-every", 10));
        var health = new HealthCheck(mysql, admin, Option("--canary-table", "testdb.netfuzz_canary"));
        var skip = Option("--skip", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fuzzer = new NetworkFuzzer(admin is null ? [mysql] : [mysql, admin], Number("--seed", Environment.TickCount), skip);

        await health.WriteCanaryAsync(CancellationToken.None);
        var proxyPid = Number("--pid", 0);
        var clock = Stopwatch.StartNew();
        var run = fuzzer.RunAsync(duration, Number("--concurrency", 32), CancellationToken.None);
        while (await Task.WhenAny(run, Task.Delay(checkEvery)) != run)
        {
            var problem = await health.RunAsync(CancellationToken.None);
            Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {fuzzer.Counters}; health: {problem ?? "ok"}{ProxyRss(proxyPid)}");
        }
        await run;
        var final = await health.RunAsync(CancellationToken.None);
        Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] done: {fuzzer.Counters}; final health: {final ?? "ok"}; failed health checks: {health.Failures}");
        return health.Failures == 0 ? 0 : 1;
    }

    /// <summary>"; proxy RSS 80 MB" from /proc, or nothing without a pid (or once the process is gone).</summary>
    private static string ProxyRss(int pid)
    {
        if (pid == 0)
            return "";
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? "" : $"; proxy RSS {long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024} MB";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "; proxy process gone";
        }
    }
}
