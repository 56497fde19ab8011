using System.Diagnostics;
using System.Globalization;

namespace ProxyLayer.Stats.History;

/// <summary>
/// The process's user and system CPU time in clock ticks (USER_HZ, 100 a second on Linux), the figures ProxySQL's
/// <c>system_cpu</c> takes from <c>times(2)</c>: all threads, since the process started.
/// </summary>
internal static class ProcessCpuTimes
{
    private const int TicksPerSecond = 100;

    public static (long User, long System) Now() => FromProcStat() ?? FromProcess();

    /// <summary>Fields 14 and 15 of <c>/proc/self/stat</c>; null where there is no procfs.</summary>
    private static (long, long)? FromProcStat()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The command name (field 2) is in parentheses and may itself hold spaces or parentheses, so fields are counted
    /// from the last ')': state is field 3, utime 14, stime 15.
    /// </summary>
    internal static (long, long)? Parse(string stat)
    {
        var end = stat.LastIndexOf(')');
        if (end < 0)
            return null;
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13 || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user) ||
            !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
            return null;
        return (user, system);
    }

    private static (long, long) FromProcess()
    {
        using var process = Process.GetCurrentProcess();
        return ((long)(process.UserProcessorTime.TotalSeconds * TicksPerSecond), (long)(process.PrivilegedProcessorTime.TotalSeconds * TicksPerSecond));
    }
}
