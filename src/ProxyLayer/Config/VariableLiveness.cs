using System.Collections.Frozen;

namespace ProxyLayer.Config;

/// <summary>When a changed variable takes effect.</summary>
public enum VariableChangeEffect
{
    /// <summary>On the next <c>LOAD … VARIABLES TO RUNTIME</c>.</summary>
    Immediate,
    /// <summary>Stored, but only used after a restart (listeners and thread pools are built once).</summary>
    RequiresRestart,
    /// <summary>Cannot be changed at all.</summary>
    ReadOnly,
}

/// <summary>
/// Which variables cannot change live, so <c>LOAD … TO RUNTIME</c> can warn about them. As in ProxySQL,
/// <c>admin-mysql_ifaces</c> is live (the admin listeners are reopened by the load) and <c>mysql-interfaces</c> is not.
/// </summary>
public static class VariableLiveness
{
    private static readonly FrozenSet<string> NeedRestart = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "mysql-interfaces", "mysql-threads", "mysql-stacksize", "mysql-monitor_threads_min", "mysql-monitor_threads_max",
        "admin-telnet_admin_ifaces", "admin-telnet_stats_ifaces");

    private static readonly FrozenSet<string> ReadOnlyNames = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "admin-version");

    public static IReadOnlySet<string> RestartRequired => NeedRestart;

    public static VariableChangeEffect Of(string name) =>
        ReadOnlyNames.Contains(name) ? VariableChangeEffect.ReadOnly
        : NeedRestart.Contains(name) ? VariableChangeEffect.RequiresRestart
        : VariableChangeEffect.Immediate;

    public static bool RequiresRestart(string name) => NeedRestart.Contains(name);
}
