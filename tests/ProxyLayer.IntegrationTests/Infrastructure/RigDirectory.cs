using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// The per-test-run temp directory (<c>/tmp/proxylayer-rig-&lt;pid&gt;-&lt;random&gt;</c>) holding the datadir
/// template and one folder per server. Folders left by runs whose process is gone are deleted on first use.
/// </summary>
internal static class RigDirectory
{
    private const string Prefix = "proxylayer-rig-";
    private static readonly Lazy<string> LazyRoot = new(CreateRoot);
    private static int _instanceCounter;

    public static bool IsCreated => LazyRoot.IsValueCreated;

    public static string Root => LazyRoot.Value;

    /// <summary>A new empty folder for one server; the counter keeps two "db001"s in one run apart.</summary>
    public static string CreateInstanceDirectory(string name)
    {
        var number = Interlocked.Increment(ref _instanceCounter);
        return Directory.CreateDirectory(Path.Combine(Root, $"{name}-{number}")).FullName;
    }

    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a stale folder is swept by the next run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string CreateRoot()
    {
        SweepStaleRoots();
        var name = $"{Prefix}{Environment.ProcessId}-{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}";
        return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), name)).FullName;
    }

    private static void SweepStaleRoots()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var ownerPid = Path.GetFileName(directory)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(ownerPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsAlive(pid))
                TryDelete(directory);
        }
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
