using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// Last line of defence so no mariadbd outlives the test run: on process exit every server still
/// tracked is killed and the run's temp directory removed. (If the test host is killed outright, the
/// watcher started by <see cref="MariaDbLauncher"/> kills each server within a second, and the next run
/// sweeps the directory.)
/// </summary>
internal static class RigCleanup
{
    private static readonly ConcurrentDictionary<MariaDbServer, byte> LiveServers = new();
    private static int _subscribed;

    public static void Track(MariaDbServer server)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillEverything();
        LiveServers.TryAdd(server, 0);
    }

    public static void Untrack(MariaDbServer server) => LiveServers.TryRemove(server, out _);

    private static void KillEverything()
    {
        foreach (var server in LiveServers.Keys)
            server.KillImmediately();
        if (RigDirectory.IsCreated)
            RemoveInBackground(RigDirectory.Root);
    }

    /// <summary>
    /// The test host may be torn down moments after its exit handlers start, too soon to delete a datadir
    /// template in-process; a separate rm finishes the job regardless.
    /// </summary>
    private static void RemoveInBackground(string directory)
    {
        try
        {
            var startInfo = new ProcessStartInfo("rm") { UseShellExecute = false };
            startInfo.ArgumentList.Add("-rf");
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(directory);
            Process.Start(startInfo)?.Dispose();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            RigDirectory.TryDelete(directory);
        }
    }
}
