using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>A writer hostgroup refused a second writer: <see cref="Writer"/> stays, the observed server is not added.</summary>
internal readonly record struct WriterRefusal(int WriterHostgroup, ServerAddress Writer);

/// <summary>
/// The read_only actions of §6 for one server across every replication pair it is in, as a pure edit of the server list.
/// Each change is described in one line for the log.
/// </summary>
internal static class ReplicationHostgroupRules
{
    /// <param name="why">What was observed, e.g. <c>read_only=0</c>, used at the start of each description.</param>
    /// <param name="liveWriterCheck">Null when fencing is off; else whether a server is the live writer (see <see cref="WriterLookup"/>).</param>
    public static ImmutableArray<ServerConfig> Apply(ImmutableArray<ServerConfig> servers,
        ImmutableArray<ReplicationHostgroupConfig> pairs, ServerAddress server, bool readOnly, string why,
        bool writerIsAlsoReader, Func<ServerAddress, bool>? liveWriterCheck, List<string> moves, List<WriterRefusal> refusals)
    {
        var list = servers.ToBuilder();
        foreach (var pair in pairs)
        {
            var (w, r) = (pair.WriterHostgroup, pair.ReaderHostgroup);
            var writer = Find(list, w, server);
            var reader = Find(list, r, server);
            if (writer is null && reader is null)
                continue;
            var pairText = $"(replication hostgroups {w}/{r})";
            if (!readOnly && writer is null)
            {
                if (liveWriterCheck is not null && WriterLookup.LiveWriter(list, w, server, liveWriterCheck) is { } kept)
                {
                    refusals.Add(new WriterRefusal(w, kept));
                    continue;
                }
                list.Add(reader! with { HostgroupId = w, Status = reader.Status == ServerStatus.Shunned ? ServerStatus.Online : reader.Status });
                if (writerIsAlsoReader)
                {
                    moves.Add($"{why} → added to writer hostgroup {w}, stays in reader hostgroup {r} {pairText}");
                }
                else
                {
                    list.Remove(reader);
                    moves.Add($"{why} → moved from reader hostgroup {r} to writer hostgroup {w} (monitor_writer_is_also_reader=false) {pairText}");
                }
            }
            else if (readOnly && writer is not null)
            {
                list.Remove(writer);
                if (reader is null)
                {
                    list.Add(writer with { HostgroupId = r });
                    moves.Add($"{why} → moved from writer hostgroup {w} to reader hostgroup {r} {pairText}");
                }
                else
                {
                    moves.Add($"{why} → removed from writer hostgroup {w}, stays in reader hostgroup {r} {pairText}");
                }
            }
            // read_only=0 already in the writer hostgroup, or read_only=1 only in the reader one: nothing to do. A server
            // configured only as a writer is never added to the reader hostgroup while it stays writable.
        }
        return list.Count == servers.Length && list.SequenceEqual(servers) ? servers : list.ToImmutable();
    }

    private static ServerConfig? Find(IEnumerable<ServerConfig> list, int hostgroupId, ServerAddress server) =>
        list.FirstOrDefault(s => s.HostgroupId == hostgroupId && server.Matches(s));
}
