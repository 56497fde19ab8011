using System.Text;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor.Galera;

/// <summary>Describes what a Galera placement changed, node by node, for the one log line of a move.</summary>
internal static class GaleraMoveText
{
    public static string Describe(IEnumerable<ServerConfig> before, IEnumerable<ServerConfig> after, GaleraHostgroupConfig cluster)
    {
        var was = Placements(before, cluster);
        var now = Placements(after, cluster);
        var text = new StringBuilder();
        foreach (var server in was.Keys.Union(now.Keys).Order())
        {
            var from = was.GetValueOrDefault(server, "nowhere");
            var to = now.GetValueOrDefault(server, "nowhere");
            if (from == to)
                continue;
            if (text.Length > 0)
                text.Append("; ");
            text.Append(server).Append(": ").Append(from).Append(" → ").Append(to);
        }
        return text.ToString();
    }

    private static Dictionary<string, string> Placements(IEnumerable<ServerConfig> servers, GaleraHostgroupConfig c) =>
        servers.Where(s => c.Contains(s.HostgroupId))
            .GroupBy(s => ServerAddress.Of(s).ToString())
            .ToDictionary(g => g.Key, g => string.Join(" + ", g.OrderBy(s => RoleOrder(s.HostgroupId, c)).Select(s => Role(s, c))));

    private static int RoleOrder(int hostgroup, GaleraHostgroupConfig c) =>
        hostgroup == c.WriterHostgroup ? 0 : hostgroup == c.BackupWriterHostgroup ? 1 : hostgroup == c.ReaderHostgroup ? 2 : 3;

    private static string Role(ServerConfig s, GaleraHostgroupConfig c)
    {
        var name = RoleOrder(s.HostgroupId, c) switch { 0 => "writer", 1 => "backup writer", 2 => "reader", _ => "offline" };
        return s.Status == ServerStatus.Online ? $"{name} {s.HostgroupId}" : $"{name} {s.HostgroupId} ({s.Status.ToString().ToUpperInvariant()})";
    }
}
