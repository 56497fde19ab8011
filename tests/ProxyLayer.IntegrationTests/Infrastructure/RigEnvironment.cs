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

    private static bool ProbeHostnameIsolation()
    {
        if (!IsRoot)
            return false;
        try
        {
            var unshare = FindExecutable("unshare");
            var result = ProcessRunner.RunAsync(unshare, ["--uts", "true"], null, TimeSpan.FromSeconds(10), CancellationToken.None)
                .GetAwaiter().GetResult();
            return result.Succeeded;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
