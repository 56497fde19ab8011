using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor.Galera;

/// <summary>
/// Turns Galera check results into placements (<see cref="GaleraHostgroupRules"/>) for every active
/// <c>mysql_galera_hostgroups</c> row the node is in. Remembers the last checks of each node (for the timeout count and
/// the last-resort writer choice) and which clusters were just loaded. Knows nothing about scheduling or I/O.
/// </summary>
internal sealed partial class GaleraPolicy
{
    /// <summary>ProxySQL keeps this many checks per node and counts timeouts over at most this many.</summary>
    private const int HistoryLength = 10;

    private readonly RuntimeConfigManager _runtime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<(int WriterHostgroup, ServerAddress Server), Queue<Check>> _history = [];
    private readonly HashSet<int> _needConverge = [];
    private ImmutableArray<GaleraHostgroupConfig> _seen = [];

    public GaleraPolicy(RuntimeConfigManager runtime, TimeProvider time, ILogger logger)
    {
        _runtime = runtime;
        _time = time;
        _logger = logger;
    }

    public void OnCheck(ServerAddress server, GaleraCheckResult result)
    {
        lock (_gate)
        {
            var snapshot = _runtime.Snapshot;
            NoteConfiguration(snapshot.Config.GaleraHostgroups);
            var settings = snapshot.Settings;
            foreach (var cluster in snapshot.Config.GaleraHostgroups.Where(c => c.Active))
            {
                if (!_runtime.Snapshot.Config.Servers.Any(s => server.Matches(s) && cluster.Contains(s.HostgroupId)))
                    continue;
                var history = Remember(cluster.WriterHostgroup, server, result);
                var timeouts = result.Failure is { Kind: ProbeFailureKind.Timeout }
                    ? history.TakeLast(Math.Min(settings.MonitorGaleraHealthcheckMaxTimeoutCount, HistoryLength)).Count(c => c.TimedOut)
                    : 0;
                var verdict = GaleraVerdict.Judge(result, timeouts, settings.MonitorGaleraHealthcheckMaxTimeoutCount, cluster.MaxTransactionsBehind);
                if (verdict.Action == GaleraAction.None)
                    continue;
                var needConverge = verdict.Action == GaleraAction.Writer && _needConverge.Remove(cluster.WriterHostgroup);
                var possibleWriters = PossibleWriters(cluster.WriterHostgroup, settings.MonitorGaleraHealthcheckInterval);
                ImmutableArray<ServerConfig> before = [], after = [];
                _runtime.UpdateServers(list =>
                {
                    before = list;
                    after = GaleraHostgroupRules.Apply(list, cluster, server, verdict, needConverge, possibleWriters);
                    return after;
                });
                if (!after.IsDefault && !after.SequenceEqual(before))
                    LogMove(cluster.WriterHostgroup, server.ToString(), verdict.Reason, GaleraMoveText.Describe(before, after, cluster));
            }
        }
    }

    /// <summary>Drops what is remembered about servers no longer configured.</summary>
    public void Forget(IEnumerable<ServerAddress> servers)
    {
        var gone = servers.ToHashSet();
        lock (_gate)
        {
            foreach (var key in _history.Keys.Where(k => gone.Contains(k.Server)).ToList())
                _history.Remove(key);
        }
    }

    /// <summary>
    /// A newly configured cluster is placed anew on its first writer verdict (ProxySQL's need_converge, set only when
    /// its Galera_Info is created: a changed row of a known writer hostgroup does not set it).
    /// </summary>
    private void NoteConfiguration(ImmutableArray<GaleraHostgroupConfig> clusters)
    {
        if (clusters.SequenceEqual(_seen))
            return;
        foreach (var cluster in clusters.Where(c => !_seen.Any(s => s.WriterHostgroup == c.WriterHostgroup)))
            _needConverge.Add(cluster.WriterHostgroup);
        _needConverge.RemoveWhere(w => !clusters.Any(c => c.WriterHostgroup == w));
        _seen = clusters;
    }

    private Queue<Check> Remember(int writerHostgroup, ServerAddress server, GaleraCheckResult result)
    {
        if (!_history.TryGetValue((writerHostgroup, server), out var history))
            _history[(writerHostgroup, server)] = history = new Queue<Check>(HistoryLength + 1);
        history.Enqueue(new Check(_time.GetUtcNow(), result));
        while (history.Count > HistoryLength)
            history.Dequeue();
        return history;
    }

    /// <summary>
    /// ProxySQL's galera_find_possible_last_nodes: nodes whose latest check, no older than two intervals, succeeded and
    /// found them writable, not rejecting queries and not a donor that rejects them.
    /// </summary>
    private List<ServerAddress> PossibleWriters(int writerHostgroup, int intervalMs)
    {
        var since = _time.GetUtcNow() - TimeSpan.FromMilliseconds(2.0 * intervalMs);
        List<ServerAddress> result = [];
        foreach (var ((hostgroup, server), history) in _history)
        {
            if (hostgroup != writerHostgroup || history.Count == 0)
                continue;
            var last = history.Last();
            if (last.At >= since && last.Result.Status is { RejectQueries: false, ReadOnly: false, SstDonorRejectsQueries: false })
                result.Add(server);
        }
        return result;
    }

    private readonly record struct Check(DateTimeOffset At, GaleraCheckResult Result)
    {
        public bool TimedOut => Result.Failure is { Kind: ProbeFailureKind.Timeout };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "monitor: galera writer hostgroup {WriterHostgroup}: {Server} {Reason} → {Change}")]
    private partial void LogMove(int writerHostgroup, string server, string reason, string change);
}
