using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Stats;
using ProxyLayer.Stats.History;

namespace ProxyLayer;

/// <summary>The <c>stats_history</c> sampler, running while the admin store is open.</summary>
internal sealed partial class ProxyHost
{
    private StatsHistorySampler? _history;

    /// <summary>Starts sampling into <paramref name="store"/>'s <c>stats_history</c> (once).</summary>
    private void StartStatsHistory(AdminStore store, IAdminTableRefresher tables)
    {
        _history ??= new StatsHistorySampler(store, new StatsHistorySources(() => Runtime.Snapshot, GlobalRowsNow,
                () => Statistics.Digests.TakeAndReset(), tables),
            TimeProvider.System, _loggerFactory.CreateLogger<StatsHistorySampler>());
    }

    /// <summary><c>SAVE MYSQL DIGEST TO DISK</c>: the digest table moved into <c>stats_history.history_mysql_query_digest</c>.</summary>
    int IAdminLiveActions.SaveDigestsToDisk() => _history?.SaveDigests() ?? 0;

    /// <summary><c>stats_mysql_global</c>'s rows as they are now, by name.</summary>
    private Dictionary<string, long> GlobalRowsNow()
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var sessions = new RegistryStatsSessions(Sessions).Snapshot();
        foreach (var (name, value) in GlobalStats.Values(Statistics, sessions, Servers.All, Runtime.Snapshot).Concat(MoreGlobalRows()))
            rows.TryAdd(name, value);
        return rows;
    }

    private async ValueTask StopStatsHistoryAsync()
    {
        if (_history is not null)
            await _history.DisposeAsync().ConfigureAwait(false);
    }
}
