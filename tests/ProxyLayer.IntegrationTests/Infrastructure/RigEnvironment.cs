using System.Diagnostics;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>What the machine offers the rig: privileges, hostname isolation and binaries.</summary>
internal static class RigEnvironment
{
    private static readonly string[] ExtraSearchDirectories = ["/usr/sbin", "/usr/local/sbin", "/sbin"];
    private static readonly Lazy<bool> LazyCanIsolateHostname = new(ProbeHostnameIsolation);

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>
    /// True when each server can run in its own UTS namespace (root, and <c>unshare --uts</c> allowed),
    /// so <c>@@hostname</c> is the server's name; otherwise all servers share the real hostname.
    /// </summary>
    public static bool CanIsolateHostname => LazyCanIsolateHostname.Value;

    public static string FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraSearchDirectories);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException($"'{name}' was not found on PATH or in /usr/sbin; run scripts/setup.sh first.", name);
    }

    /// <summary>Synchronous on purpose: it runs inside a Lazy, possibly on a test runner thread.</summary>
    private static bool ProbeHostnameIsolation()
    {
        if (!IsRoot)
            return false;
        try
        {
            var startInfo = new ProcessStartInfo(FindExecutable("unshare"))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            startInfo.ArgumentList.Add("--uts");
            startInfo.ArgumentList.Add("true");
            using var probe = Process.Start(startInfo);
            if (probe is null)
                return false;
            if (!probe.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                probe.Kill();
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
