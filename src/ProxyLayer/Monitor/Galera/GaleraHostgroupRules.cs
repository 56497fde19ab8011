using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor.Galera;

/// <summary>
/// ProxySQL's placement of Galera nodes in a cluster's writer, backup writer, reader and offline hostgroups
/// (MySQL_HostGroups_Manager.cpp: update_galera_set_offline, _set_read_only, _set_writer and converge_galera_config),
/// as a pure edit of the server list. The statements ProxySQL runs against its incoming table are kept one for one,
/// with SQLite's conflict rules (UPDATE OR IGNORE, OR REPLACE, INSERT OR IGNORE) on the key (hostgroup, host, port),
/// so that two proxies, or ProxyLayer and ProxySQL, given the same checks choose the same writers.
/// </summary>
internal static class GaleraHostgroupRules
{
    /// <summary>The list after <paramref name="verdict"/> on <paramref name="node"/>; the same instance when nothing changes.</summary>
    /// <param name="needConverge">
    /// True for the first writer verdict after the cluster's configuration was loaded: the placement is then redone even if
    /// the node already looks placed (ProxySQL's Galera_Info::need_converge).
    /// </param>
    /// <param name="possibleWriters">
    /// Nodes whose latest check (recent, no error) says writable, not rejecting queries: ProxySQL's last resort when
    /// neither a writer nor a backup writer is left.
    /// </param>
    public static ImmutableArray<ServerConfig> Apply(ImmutableArray<ServerConfig> servers, GaleraHostgroupConfig cluster,
        ServerAddress node, GaleraVerdict verdict, bool needConverge, IReadOnlyCollection<ServerAddress> possibleWriters)
    {
        var rows = new Rows(servers);
        var changed = verdict.Action switch
        {
            GaleraAction.Offline => SetOffline(rows, cluster, node, soft: false, possibleWriters),
            GaleraAction.OfflineSoft => SetOffline(rows, cluster, node, soft: true, possibleWriters),
            GaleraAction.ReadOnly => SetReadOnly(rows, cluster, node, possibleWriters),
            GaleraAction.Writer => SetWriter(rows, cluster, node, needConverge, possibleWriters),
            _ => false,
        };
        if (!changed)
            return servers;
        var result = rows.ToImmutable();
        return result.SequenceEqual(servers) ? servers : result;
    }

    private static bool SetOffline(Rows rows, GaleraHostgroupConfig c, ServerAddress node, bool soft, IReadOnlyCollection<ServerAddress> possibleWriters)
    {
        int[] three = [c.WriterHostgroup, c.BackupWriterHostgroup, c.ReaderHostgroup];
        // Already out of the three: still worth a look when the writer hostgroup is empty (converge may find a writer).
        if (!rows.Any(r => node.Matches(r) && three.Contains(r.HostgroupId) && r.Status == ServerStatus.Online)
            && rows.Any(r => r.HostgroupId == c.WriterHostgroup && r.Status == ServerStatus.Online))
            return false;
        var before = rows.Checksummed(c);
        if (!soft)
        {
            rows.UpdateOrReplace(r => node.Matches(r) && three.Contains(r.HostgroupId), r => r with { HostgroupId = c.OfflineHostgroup, Status = ServerStatus.Online });
        }
        else
        {
            foreach (var r in rows.Where(r => node.Matches(r) && three.Contains(r.HostgroupId)).ToList())
                rows.InsertOrReplace(r with { HostgroupId = c.OfflineHostgroup, Status = ServerStatus.Online });
            // Kept SHUNNED where it serves (#3182 in ProxySQL): its sessions are not cut, new ones go elsewhere.
            rows.Delete(r => node.Matches(r) && r.HostgroupId == c.BackupWriterHostgroup);
            rows.Update(r => node.Matches(r) && (r.HostgroupId == c.WriterHostgroup || r.HostgroupId == c.ReaderHostgroup),
                r => r with { Status = ServerStatus.Shunned });
        }
        Converge(rows, c, possibleWriters);
        // ProxySQL commits only when the writer, backup writer and reader hostgroups change.
        return !before.SequenceEqual(rows.Checksummed(c));
    }

    private static bool SetReadOnly(Rows rows, GaleraHostgroupConfig c, ServerAddress node, IReadOnlyCollection<ServerAddress> possibleWriters)
    {
        int[] notReader = [c.WriterHostgroup, c.BackupWriterHostgroup, c.OfflineHostgroup];
        if (!rows.Any(r => node.Matches(r) && notReader.Contains(r.HostgroupId)))
            return false;
        rows.UpdateOrIgnore(r => node.Matches(r) && notReader.Contains(r.HostgroupId), r => r with { HostgroupId = c.ReaderHostgroup });
        rows.Delete(r => node.Matches(r) && notReader.Contains(r.HostgroupId));
        rows.Update(r => node.Matches(r) && r.HostgroupId == c.ReaderHostgroup, r => r with { Status = ServerStatus.Online });
        Converge(rows, c, possibleWriters);
        return true;
    }

    private static bool SetWriter(Rows rows, GaleraHostgroupConfig c, ServerAddress node, bool needConverge, IReadOnlyCollection<ServerAddress> possibleWriters)
    {
        if (!rows.Any(r => node.Matches(r) && c.Contains(r.HostgroupId)))
            return false;
        var foundWriter = rows.Any(r => node.Matches(r) && r.HostgroupId == c.WriterHostgroup && r.Status == ServerStatus.Online);
        var foundReader = rows.Any(r => node.Matches(r) && r.HostgroupId == c.ReaderHostgroup);
        if (!needConverge && rows.Count(r => r.HostgroupId == c.WriterHostgroup && r.Status == ServerStatus.Online) > c.MaxWriters)
            needConverge = true;
        if (!needConverge && foundWriter
            && (c.WriterIsAlsoReader == 0 && !foundReader || c.WriterIsAlsoReader == 1 && foundReader || c.WriterIsAlsoReader == 2))
            return false;
        var before = rows.Checksummed(c);
        rows.UpdateOrIgnore(r => node.Matches(r) && c.Contains(r.HostgroupId), r => r with { HostgroupId = c.WriterHostgroup });
        rows.Update(r => node.Matches(r) && r.HostgroupId == c.WriterHostgroup, r => r with { Status = ServerStatus.Online });
        rows.Delete(r => node.Matches(r) && r.HostgroupId != c.WriterHostgroup && c.Contains(r.HostgroupId));
        if (c.WriterIsAlsoReader != 0)
            AddReaderCopyOfWriter(rows, c, node);
        Converge(rows, c, possibleWriters);
        return !before.SequenceEqual(rows.Checksummed(c));
    }

    /// <summary>
    /// Enforces max_writers: extra writers (the last in ProxySQL's order) are SHUNNED in the writer hostgroup and become
    /// backup writers; missing writers are taken from the backup writers in that order; with neither, a node the checks
    /// call writable is made writer. Then writer_is_also_reader=2 makes the backup writers the readers.
    /// </summary>
    private static void Converge(Rows rows, GaleraHostgroupConfig c, IReadOnlyCollection<ServerAddress> possibleWriters)
    {
        var online = InWriterOrder(rows.Where(r => r.Status == ServerStatus.Online && c.Contains(r.HostgroupId)));
        var writers = online.Count(r => r.HostgroupId == c.WriterHostgroup);
        var backupWriters = online.Count(r => r.HostgroupId == c.BackupWriterHostgroup);
        if (writers > c.MaxWriters)
        {
            var toKeep = c.MaxWriters;
            foreach (var writer in online.Where(r => r.HostgroupId == c.WriterHostgroup))
            {
                if (toKeep > 0)
                {
                    toKeep--;
                    continue;
                }
                var address = ServerAddress.Of(writer);
                rows.Update(r => r.HostgroupId == c.WriterHostgroup && address.Matches(r), r => r with { Status = ServerStatus.Shunned });
                rows.InsertOrIgnore(writer with { HostgroupId = c.BackupWriterHostgroup, Status = ServerStatus.Online });
            }
        }
        else if (writers < c.MaxWriters && backupWriters > 0)
        {
            var toMove = Math.Min(c.MaxWriters - writers, backupWriters);
            foreach (var backup in online.Where(r => r.HostgroupId == c.BackupWriterHostgroup))
            {
                if (toMove-- <= 0)
                    break;
                var address = ServerAddress.Of(backup);
                rows.UpdateOrReplace(r => r.HostgroupId == c.BackupWriterHostgroup && address.Matches(r),
                    r => r with { HostgroupId = c.WriterHostgroup, Status = ServerStatus.Online });
            }
        }
        else if (writers == 0 && backupWriters == 0 && possibleWriters.Count > 0)
        {
            var chosen = InWriterOrder(rows.Where(r => c.Contains(r.HostgroupId)))
                .Select(ServerAddress.Of).FirstOrDefault(a => possibleWriters.Contains(a));
            if (chosen != default)
            {
                rows.UpdateOrReplace(r => chosen.Matches(r) && c.Contains(r.HostgroupId),
                    r => r with { HostgroupId = c.WriterHostgroup, Status = ServerStatus.Online });
                if (c.WriterIsAlsoReader != 0)
                    AddReaderCopyOfWriter(rows, c, chosen);
            }
        }
        if (c.WriterIsAlsoReader == 2)
        {
            var onlineNow = rows.Where(r => r.Status == ServerStatus.Online && c.Contains(r.HostgroupId)).ToList();
            if (onlineNow.Count == 0)
                return;
            // Only ONLINE writers stop being readers: a reader SHUNNED by pxc_maint_mode stays as it is.
            var onlineWriters = onlineNow.Where(r => r.HostgroupId == c.WriterHostgroup).Select(ServerAddress.Of).ToHashSet();
            rows.Delete(r => r.HostgroupId == c.ReaderHostgroup && onlineWriters.Contains(ServerAddress.Of(r)));
            if (onlineNow.Any(r => r.HostgroupId == c.BackupWriterHostgroup))
            {
                foreach (var backup in rows.Where(r => r.HostgroupId == c.BackupWriterHostgroup).ToList())
                    rows.InsertOrIgnore(backup with { HostgroupId = c.ReaderHostgroup });
            }
        }
    }

    private static void AddReaderCopyOfWriter(Rows rows, GaleraHostgroupConfig c, ServerAddress node)
    {
        if (rows.FirstOrDefault(r => node.Matches(r) && r.HostgroupId == c.WriterHostgroup) is { } writer)
            rows.InsertOrIgnore(writer with { HostgroupId = c.ReaderHostgroup });
    }

    /// <summary>ProxySQL's order for choosing writers: <c>ORDER BY weight DESC, hostname DESC, port DESC</c>.</summary>
    private static List<ServerConfig> InWriterOrder(IEnumerable<ServerConfig> rows) =>
        [.. rows.OrderByDescending(r => r.Weight).ThenByDescending(r => r.Hostname, StringComparer.Ordinal).ThenByDescending(r => r.Port)];

    /// <summary>The server list as a table keyed by (hostgroup, host, port), with SQLite's conflict behaviours.</summary>
    private sealed class Rows(ImmutableArray<ServerConfig> servers) : List<ServerConfig>(servers)
    {
        public ImmutableArray<ServerConfig> ToImmutable() => [.. this];

        /// <summary>The rows ProxySQL checksums to decide whether to commit: writer, backup writer and reader hostgroups, sorted.</summary>
        public List<ServerConfig> Checksummed(GaleraHostgroupConfig c) =>
        [
            .. this.Where(r => r.HostgroupId == c.WriterHostgroup || r.HostgroupId == c.BackupWriterHostgroup || r.HostgroupId == c.ReaderHostgroup)
                .OrderBy(r => r.HostgroupId).ThenBy(r => r.Hostname, StringComparer.Ordinal).ThenBy(r => r.Port),
        ];

        public void Update(Func<ServerConfig, bool> where, Func<ServerConfig, ServerConfig> set)
        {
            for (var i = 0; i < Count; i++)
            {
                if (where(this[i]))
                    this[i] = set(this[i]);
            }
        }

        /// <summary>UPDATE OR IGNORE: a row whose new key is taken stays as it was.</summary>
        public void UpdateOrIgnore(Func<ServerConfig, bool> where, Func<ServerConfig, ServerConfig> set)
        {
            for (var i = 0; i < Count; i++)
            {
                if (!where(this[i]))
                    continue;
                var updated = set(this[i]);
                if (IndexOfKey(updated, except: i) < 0)
                    this[i] = updated;
            }
        }

        /// <summary>UPDATE OR REPLACE: the row that held the new key is deleted.</summary>
        public void UpdateOrReplace(Func<ServerConfig, bool> where, Func<ServerConfig, ServerConfig> set)
        {
            for (var i = 0; i < Count; i++)
            {
                if (!where(this[i]))
                    continue;
                var updated = set(this[i]);
                var other = IndexOfKey(updated, except: i);
                this[i] = updated;
                if (other >= 0)
                {
                    RemoveAt(other);
                    if (other < i)
                        i--;
                }
            }
        }

        public void InsertOrIgnore(ServerConfig row)
        {
            if (IndexOfKey(row, except: -1) < 0)
                Add(row);
        }

        public void InsertOrReplace(ServerConfig row)
        {
            var existing = IndexOfKey(row, except: -1);
            if (existing >= 0)
                this[existing] = row;
            else
                Add(row);
        }

        public void Delete(Func<ServerConfig, bool> where) => RemoveAll(r => where(r));

        private int IndexOfKey(ServerConfig row, int except)
        {
            for (var i = 0; i < Count; i++)
            {
                var r = this[i];
                if (i != except && r.HostgroupId == row.HostgroupId && r.Port == row.Port && string.Equals(r.Hostname, row.Hostname, StringComparison.Ordinal))
                    return i;
            }
            return -1;
        }
    }
}
