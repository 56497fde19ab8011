using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// ProxySQL 2.7's deprecated <c>admin-checksum_&lt;module&gt;</c> switches, as its set_variable applies them: the module's
/// checksum is still computed ("Checksums are always generated", ProxySQL_Admin.cpp), but a switch set to false forces
/// <c>admin-cluster_&lt;module&gt;_diffs_before_sync</c> to 0 in the runtime, so the module is never taken from peers.
/// The runtime shows (and the admin_variables checksum hashes) that 0, as ProxySQL's runtime_global_variables does;
/// MEMORY keeps the value given.
/// </summary>
internal static class ChecksumSwitches
{
    /// <summary>Each switch and the diffs_before_sync it forces (ProxySQL_Admin.cpp, set_variable "checksum_*").</summary>
    public static readonly (string Switch, string DiffsBeforeSync)[] Pairs =
    [
        ("admin-checksum_mysql_query_rules", "admin-cluster_mysql_query_rules_diffs_before_sync"),
        ("admin-checksum_mysql_servers", "admin-cluster_mysql_servers_diffs_before_sync"),
        ("admin-checksum_mysql_users", "admin-cluster_mysql_users_diffs_before_sync"),
        ("admin-checksum_mysql_variables", "admin-cluster_mysql_variables_diffs_before_sync"),
        ("admin-checksum_admin_variables", "admin-cluster_admin_variables_diffs_before_sync"),
        ("admin-checksum_ldap_variables", "admin-cluster_ldap_variables_diffs_before_sync"),
    ];

    /// <summary>
    /// The variables with each switched-off module's diffs_before_sync set to 0; <paramref name="forced"/> gets one
    /// line per variable this changed (none when the runtime already had the 0, e.g. a LOAD of another module).
    /// </summary>
    public static ImmutableSortedDictionary<string, string> Apply(ImmutableSortedDictionary<string, string> variables, List<string> forced)
    {
        foreach (var (switchName, diffsName) in Pairs)
        {
            if (!variables.TryGetValue(switchName, out var value) || !IsOff(value))
                continue;
            if (variables.TryGetValue(diffsName, out var diffs) && diffs == "0")
                continue;
            variables = variables.SetItem(diffsName, "0");
            forced.Add($"{switchName} is false (deprecated): {diffsName} is 0 at runtime, this module is not synced from peers");
        }
        return variables;
    }

    /// <summary>ProxySQL accepts false/0 in any case as off; any other value leaves the switch on.</summary>
    private static bool IsOff(string value) => value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0";
}
