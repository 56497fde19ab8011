using System.Globalization;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>The <c>admin-cluster_*</c> variables a check loop follows, read from the running configuration at each check.</summary>
internal sealed record ClusterSettings(string Username, string Password, int CheckIntervalMs, int CheckStatusFrequency,
    IReadOnlyDictionary<ClusterModule, int> DiffsBeforeSync, IReadOnlyDictionary<ClusterModule, bool> SaveToDisk,
    ServersSyncAlgorithm ServersSyncAlgorithm = ServersSyncAlgorithm.RuntimeAndV2)
{
    public static ClusterSettings From(RuntimeSnapshot snapshot)
    {
        var variables = snapshot.Config.Variables;
        var diffs = new Dictionary<ClusterModule, int>();
        var save = new Dictionary<ClusterModule, bool>();
        foreach (var module in ClusterModuleNames.All)
        {
            diffs[module] = Int(variables, $"admin-cluster_{module.VariableStem()}_diffs_before_sync", 3);
            save[module] = !variables.TryGetValue($"admin-cluster_{module.VariableStem()}_save_to_disk", out var text) ||
                           text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1";
        }
        return new ClusterSettings(snapshot.Admin.ClusterUsername, snapshot.Admin.ClusterPassword, snapshot.Admin.ClusterCheckIntervalMs,
            Int(variables, "admin-cluster_check_status_frequency", 10), diffs, save,
            ServersSyncAlgorithms.Parse(Int(variables, "admin-cluster_mysql_servers_sync_algorithm", 1)));
    }

    private static int Int(System.Collections.Immutable.ImmutableSortedDictionary<string, string> variables, string name, int fallback) =>
        variables.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? Math.Max(0, value)
            : fallback;
}
