using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>What <see cref="ShunStateRules.Apply"/> changed, by hostgroup.</summary>
internal sealed class ShunStateChange
{
    public List<int> Shunned { get; } = [];
    public List<int> Restored { get; } = [];
    /// <summary>Writer hostgroups where the server stays SHUNNED, fenced, because another server is the live writer.</summary>
    public List<(int WriterHostgroup, ServerAddress Writer)> HeldForFencing { get; } = [];
}

/// <summary>
/// Makes the statuses of one server's entries match what the monitor holds against it: SHUNNED where it has a reason,
/// ONLINE again where it shunned the entry and no reason is left. It never revives an entry someone else shunned.
/// </summary>
internal static class ShunStateRules
{
    /// <param name="liveWriterCheck">Null when fencing is off. Reviving a writer-hostgroup entry next to a live writer would make two writers.</param>
    public static ImmutableArray<ServerConfig> Apply(ImmutableArray<ServerConfig> servers, ServerAddress server, ServerHealth health,
        IReadOnlySet<int> writerHostgroups, Func<ServerAddress, bool>? liveWriterCheck, ShunStateChange change)
    {
        var list = servers.ToBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            var entry = list[i];
            if (!server.Matches(entry))
                continue;
            var reasons = health.ReasonsFor(entry.HostgroupId);
            if (reasons != ShunReason.None && entry.Status == ServerStatus.Online)
            {
                list[i] = entry with { Status = ServerStatus.Shunned };
                change.Shunned.Add(entry.HostgroupId);
            }
            else if (reasons == ShunReason.None && entry.Status == ServerStatus.Shunned && health.HeldByMonitor)
            {
                if (liveWriterCheck is not null && writerHostgroups.Contains(entry.HostgroupId)
                    && WriterLookup.LiveWriter(list, entry.HostgroupId, server, liveWriterCheck) is { } writer)
                {
                    health.Fenced.Add(entry.HostgroupId);
                    change.HeldForFencing.Add((entry.HostgroupId, writer));
                    continue;
                }
                list[i] = entry with { Status = ServerStatus.Online };
                change.Restored.Add(entry.HostgroupId);
            }
        }
        health.HeldByMonitor = list.Any(e => server.Matches(e) && e.Status == ServerStatus.Shunned && health.ReasonsFor(e.HostgroupId) != ShunReason.None);
        return list.SequenceEqual(servers) ? servers : list.ToImmutable();
    }
}
