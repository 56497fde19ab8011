using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>Finds the live writer of a writer hostgroup: ONLINE there and, at its latest check, read_only=0.</summary>
internal static class WriterLookup
{
    public static ServerAddress? LiveWriter(IEnumerable<ServerConfig> servers, int writerHostgroup, ServerAddress except,
        Func<ServerAddress, bool> reportsWritable)
    {
        foreach (var entry in servers)
        {
            if (entry.HostgroupId != writerHostgroup || entry.Status != ServerStatus.Online || except.Matches(entry))
                continue;
            var address = ServerAddress.Of(entry);
            if (reportsWritable(address))
                return address;
        }
        return null;
    }
}
