using System.Globalization;

namespace ProxyLayer.Networking;

/// <summary>
/// Which process listens on a TCP port, for the message of a failed bind. Linux only and best effort: the kernel's
/// socket tables (<c>/proc/net/tcp</c>, <c>tcp6</c>) give the listening socket's inode, and the process is the one
/// with a descriptor on that inode. Another user's processes cannot be read without privileges; then it is unknown.
/// </summary>
internal static class PortHolder
{
    private const string ListenState = "0A";

    /// <summary>"process 1234 (proxylayer)", or null if it cannot be found out.</summary>
    public static string? Describe(int port)
    {
        try
        {
            var inodes = ListeningInodes(port);
            return inodes.Count == 0 ? null : FindProcess(inodes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != ListenState)
                    continue;
                var local = fields[1];
                var colon = local.LastIndexOf(':');
                if (colon > 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p) && p == port)
                    inodes.Add(fields[9]);
            }
        }
        return inodes;
    }

    private static string? FindProcess(HashSet<string> inodes)
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(process);
            if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    // A socket's link reads "socket:[inode]".
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                        return $"process {pid} ({ReadName(process)})";
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return null;
    }

    private static string ReadName(string process)
    {
        try
        {
            return File.ReadAllText(Path.Combine(process, "comm")).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
