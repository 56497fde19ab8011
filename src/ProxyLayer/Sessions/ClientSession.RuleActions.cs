using ProxyLayer.Backends;
using ProxyLayer.EventsLog;
using ProxyLayer.Mirroring;
using ProxyLayer.Protocol;
using ProxyLayer.Routing;
using ProxyLayer.Sessions.State;
using ProxyLayer.Stats;

namespace ProxyLayer.Sessions;

/// <summary>
/// What a COM_QUERY's rules and annotations ask for beyond routing: the plan itself, answers from the query cache,
/// copies for mirror hostgroups and events-log entries.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>
    /// The rules' verdict with the statement's annotations over it. As in ProxySQL the rules run for every statement
    /// (error_msg, cache_ttl, timeout… apply inside a transaction too); one that must stay on the session's
    /// connection just cannot be moved by them.
    /// </summary>
    private StatementPlan PlanStatement(ReadOnlyMemory<char> sql, in StatementInfo info)
    {
        var mayMove = !MustStayOnBackend(info);
        var outcome = EvaluateRules(sql);
        var annotations = QueryAnnotations.TryParse(sql.Span, out var parsed) ? parsed : default;
        return StatementPlan.From(outcome, annotations, mayMove);
    }

    /// <summary>Sends a cached result as the answer, and records it as ProxySQL does (hostgroup -1, no server).</summary>
    private async Task AnswerFromCacheAsync(string sql, byte[] cached, StatementPlan plan, CancellationToken cancellationToken)
    {
        var started = _stats.GetTimestamp();
        System.Buffers.BuffersExtensions.Write(_client.Output, cached);
        await _client.FlushAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = _stats.ElapsedMicroseconds(started);
        _stats.Record(new ExecutedStatement
        {
            Query = sql.AsMemory(),
            Digest = _statementDigest,
            Hostgroup = -1, // ProxySQL's hostgroup for answers from the query cache
            Schema = _state.Schema ?? "",
            Username = _user!.Username,
            ClientAddress = _clientAddress,
            ElapsedMicroseconds = elapsed,
        });
        if (_eventsLog.IsEnabled && plan.Logs(_eventsLog.LogsByDefault))
            LogEvent(sql, hostgroup: null, server: null, elapsed, rowsAffected: 0, rowsSent: 0);
    }

    /// <summary>Queues a copy of the statement for the mirror hostgroup; the client does not wait for it.</summary>
    private void Mirror(in StatementPlan plan, string query, int statementBytes) =>
        _mirror.TryEnqueue(new MirrorRequest
        {
            Query = query,
            Credentials = _credentials!,
            PoolKey = PoolKey,
            Schema = _state.Schema,
            CharacterSetStatement = _state.CharacterSetStatement,
            DefaultHostgroup = _user!.DefaultHostgroup,
            MirrorHostgroup = plan.MirrorHostgroup,
            MirrorFlagOut = plan.MirrorFlagOut,
        }, statementBytes);

    /// <summary>Hands the statement to the events log (formatted and written off the client's path).</summary>
    private void LogEvent(string sql, int? hostgroup, BackendServer? server, long elapsedMicroseconds, long rowsAffected, long rowsSent)
    {
        var end = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        _eventsLog.Write(new QueryEvent
        {
            ThreadId = ConnectionId,
            Username = _user!.Username,
            Schema = _state.Schema,
            Query = sql,
            Digest = _statementDigest?.Hash,
            ClientAddress = _clientAddress,
            ClientPort = Remote?.Port ?? 0,
            Hostgroup = hostgroup,
            ServerHost = server?.Hostname,
            ServerPort = server?.Port ?? 0,
            StartUnixMicroseconds = end - elapsedMicroseconds,
            EndUnixMicroseconds = end,
            RowsAffected = rowsAffected,
            RowsSent = rowsSent,
        });
    }

    /// <summary>The query rules' (and fast routing's) verdict on <paramref name="sql"/>, or null when there are neither.</summary>
    private QueryRuleOutcome? EvaluateRules(ReadOnlyMemory<char> sql)
    {
        var snapshot = _runtime.Snapshot;
        var rules = snapshot.Rules;
        if (rules.Count == 0 && snapshot.FastRouting.Count == 0)
            return null;
        var local = _transport.LocalEndPoint as System.Net.IPEndPoint;
        return rules.Evaluate(new QueryRuleInput
        {
            Query = sql,
            Username = _user!.Username,
            Schemaname = _state.Schema,
            ClientAddress = _clientAddress,
            ProxyAddress = local?.Address.ToString(),
            ProxyPort = local?.Port ?? 0,
            FlagIn = _nextFlagIn ?? 0,
        }, snapshot.FastRouting);
    }

    /// <summary>
    /// ProxySQL caches a single result set outside a transaction; with warnings only if
    /// <c>mysql-query_cache_handle_warnings=1</c> (then stored as warning-free); empty only if the rule or
    /// <c>mysql-query_cache_stores_empty_result</c> allows.
    /// </summary>
    private bool ShouldCache(int? cacheEmptyResult, out bool clearWarnings)
    {
        clearWarnings = false;
        var last = _lastRelay;
        var settings = _runtime.Snapshot.Settings;
        if (!last.HadResultSet || (last.Status & ServerStatusFlags.InTransaction) != 0)
            return false;
        if (last.Warnings > 0)
        {
            if (settings.QueryCacheHandleWarnings != 1)
                return false;
            clearWarnings = true;
        }
        if (last.RowsSent > 0)
            return true;
        return cacheEmptyResult is { } rule ? rule == 1 : settings.QueryCacheStoresEmptyResult;
    }

    /// <summary>The last completed relay's facts (for the query cache's decision).</summary>
    private RelayOutcome _lastRelay;

    /// <summary>The statement now running goes to the events log (its rule's log=1, or mysql-eventslog_default_log).</summary>
    private bool _statementLogged;

    /// <summary>A matched rule's next_query_flagIN: where rule evaluation starts for the session's next statement.</summary>
    private int? _nextFlagIn;
}
