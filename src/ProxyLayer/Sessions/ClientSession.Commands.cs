using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Protocol.Async;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Sessions.State;
using ProxyLayer.Stats;

namespace ProxyLayer.Sessions;

internal sealed partial class ClientSession
{
    /// <summary>After an insert id or warnings, the connection stays for this many statements (ProxySQL's auto_increment_delay_multiplex).</summary>
    private const int FollowUpStatements = 5;

    private async Task CommandLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            _phase = SessionPhase.Idle;
            _client.ExpectCommand();
            var read = await _client.ReadPayloadAsync(stopping).ConfigureAwait(false);
            if (read.IsClosed || read.Payload.IsEmpty)
                return;
            if (_client.FirstSequenceId != 0)
            {
                await RefuseOutOfOrderAsync().ConfigureAwait(false);
                return;
            }
            _phase = SessionPhase.ReadingCommand;
            var command = (CommandKind)read.Payload.Span[0];
            _commands.Count(command);
            switch (command)
            {
                case CommandKind.Quit:
                    return;
                case CommandKind.Ping:
                    await SendOkAsync().ConfigureAwait(false);
                    break;
                case CommandKind.Query:
                    await QueryAsync(read.Payload, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.StmtPrepare:
                    await PrepareStatementAsync(read.Payload, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.StmtExecute:
                case CommandKind.StmtFetch:
                case CommandKind.StmtClose:
                case CommandKind.StmtSendLongData:
                case CommandKind.StmtReset:
                    await StatementCommandAsync(read.Payload, command, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.FieldList:
                    await ForwardAsync(read.Payload, ResponseKind.FieldList, DefaultRoute, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.Statistics:
                    await ForwardAsync(read.Payload, ResponseKind.SinglePacket, DefaultRoute, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.InitDb when RefuseSchemaChange(Encoding.UTF8.GetString(read.Payload.Span[1..])) is { } locked:
                    await SendErrorAsync(locked).ConfigureAwait(false);
                    break;
                case CommandKind.InitDb:
                case CommandKind.Refresh:
                case CommandKind.Debug:
                    await ForwardAsync(read.Payload, ResponseKind.Simple, DefaultRoute, stopping).ConfigureAwait(false);
                    break;
                case CommandKind.SetOption:
                    await ForwardAsync(read.Payload, ResponseKind.Simple, Pinned(PinReasons.ConnectionOption), stopping).ConfigureAwait(false);
                    break;
                case CommandKind.ResetConnection:
                    ResetSession();
                    await SendOkAsync().ConfigureAwait(false);
                    break;
                case CommandKind.ChangeUser:
                    if (!await ChangeUserAsync(read.Payload, stopping).ConfigureAwait(false))
                        return;
                    // Changed to a fast_forward user: no backend is attached now, so the session can switch to relaying.
                    if (_user!.FastForward)
                    {
                        await FastForwardAsync(stopping).ConfigureAwait(false);
                        return;
                    }
                    break;
                default:
                    await SendErrorAsync(new MySqlError(ErrorCodes.UnknownCommand, "08S01",
                        $"Unknown or unsupported command 0x{(byte)command:X2} ({command})")).ConfigureAwait(false);
                    break;
            }
            if (_phase == SessionPhase.Closing)
                return;
        }
    }

    /// <summary>Where a command goes: a hostgroup, what pinning it adds once it succeeded, and whether it wants a new connection.</summary>
    /// <param name="GtidFromHostgroup">A rule's gtid_from_hostgroup (see <see cref="WritesToSee"/>).</param>
    /// <param name="MinGtid">A <c>min_gtid</c> annotation (see <see cref="WritesToSee"/>).</param>
    private readonly record struct Route(int? Hostgroup, PinReasons PinsOnSuccess, bool NewConnection = false, int? GtidFromHostgroup = null,
        string? MinGtid = null);

    private static Route DefaultRoute => new(null, PinReasons.None);

    private static Route Pinned(PinReasons pins) => new(null, pins);

    /// <summary>COM_QUERY: local answers, SET tracking, query rules, then the statement on a connection of the chosen hostgroup.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))] // once per statement: pooled, not boxed
    private async ValueTask QueryAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (RefuseUseStatement(payload.Span[1..]) is { } locked)
        {
            await SendErrorAsync(locked).ConfigureAwait(false);
            return;
        }
        _text.Decode(payload.Span[1..]);
        try
        {
            await RunQueryAsync(payload, _text, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _text.Release();
        }
    }

    /// <param name="sql">The statement's text, valid until the statement ends; <c>ToString()</c> where a string is kept.</param>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private async ValueTask RunQueryAsync(ReadOnlyMemory<byte> payload, StatementText sql, CancellationToken cancellationToken)
    {
        var info = StatementClassifier.Classify(sql.Span);
        var inTransaction = (_status & ServerStatusFlags.InTransaction) != 0;

        // Connection ids are the proxy's: KILL and CONNECTION_ID() are answered here, as in ProxySQL.
        if (info.Kind == StatementKind.Kill && KillStatement.TryParse(sql.Span, out var kill))
        {
            _stats.RecordAnsweredLocally(sql.Span);
            await KillAsync(kill).ConfigureAwait(false);
            return;
        }
        if (info.Kind == StatementKind.Select && (TryAnswerConnectionId(sql.Span) || TryAnswerLastGtid(sql.Span)))
        {
            _stats.RecordAnsweredLocally(sql.Span);
            await _client.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // A bare COMMIT/ROLLBACK with nothing open: answer here, as ProxySQL does, instead of taking a connection for
        // nothing. Only the bare form: the server has its own answer to AND CHAIN, RELEASE, TO SAVEPOINT or bad syntax.
        if (info.Kind is StatementKind.Commit or StatementKind.Rollback && !inTransaction && _backend is null && PlainTransactionEnd.Is(sql.Span))
        {
            _stats.RecordAnsweredLocally(sql.Span);
            await SendOkAsync().ConfigureAwait(false);
            return;
        }

        var pins = PinsAfter(info, sql, out var set);
        _statementReadsDiagnostics = DiagnosticsStatement.Reads(info.Kind, sql.Span);
        // Per-connection history (status counters, profiles): the first such statement takes a connection of its own
        // and keeps it, so what it reads is this session's alone, as on a server connection.
        var ownConnection = false;
        if (info.Kind is StatementKind.Show or StatementKind.Flush or StatementKind.Set && (_state.Pins & PinReasons.SessionHistory) == 0 &&
            SessionHistoryStatement.Is(sql.Span))
        {
            pins |= PinReasons.SessionHistory;
            ownConnection = !MustStayOnBackend(info);
        }
        var plan = PlanStatement(sql.Memory, info);
        _statementDigest = plan.Digest;
        if (plan.RulesEvaluated)
            _nextFlagIn = plan.NextQueryFlagIn;
        if (plan.ErrorMsg is not null)
        {
            await SendErrorAsync(new MySqlError(ErrorCodes.RuleErrorMessage, "42000", plan.ErrorMsg)).ConfigureAwait(false);
            return;
        }
        if (plan.OkMsg is not null)
        {
            await SendOkAsync().ConfigureAwait(false);
            return;
        }
        if (plan.DisablesMultiplexing)
            pins |= PinReasons.RuleDisabledMultiplexing;
        if (plan.RewrittenQuery is not null)
            payload = BackendCommands.TextCommand(CommandKind.Query, plan.RewrittenQuery);

        var settings = _runtime.Snapshot.Settings;
        var delay = plan.Delay ?? settings.DefaultQueryDelay;
        if (delay > 0)
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);

        // The query cache (cache_ttl): only outside transactions, for sessions whose state is all tracked.
        QueryCacheKey? cacheKey = null;
        ResponseCapture? capture = null;
        if (plan.CacheTtl > 0 && !inTransaction && _state.Pins == PinReasons.None && pins == PinReasons.None && !info.IsMultiStatement)
        {
            cacheKey = new QueryCacheKey(_user!.Username, _state.Schema, _capabilities & BackendPoolKey.ClientVisible, sql.ToString());
            if (_cache.TryGet(cacheKey.Value) is { } cached)
            {
                await AnswerFromCacheAsync(sql.ToString(), cached, plan, cancellationToken).ConfigureAwait(false);
                return;
            }
            capture = new ResponseCapture(QueryResultCache.MaxEntryBytes);
        }
        // As in ProxySQL, the copy is made once the statement is going to a backend (not for cache or rule answers).
        if (plan.Mirrors)
            Mirror(plan, plan.RewrittenQuery ?? sql.ToString(), payload.Length - 1);
        var idempotent = info.Kind is StatementKind.Select or StatementKind.Show && !info.IsMultiStatement && pins == PinReasons.None;
        _recordsStatement = true;
        _statementStarted = _stats.GetTimestamp();
        _statementLogged = _eventsLog.IsEnabled && plan.Logs(_eventsLog.LogsByDefault);
        CommandStartedAt = DateTimeOffset.UtcNow;
        bool succeeded;
        try
        {
            succeeded = await ForwardAsync(payload, ResponseKind.ResultSets, new Route(plan.Hostgroup, pins, plan.CreateNewConnection || ownConnection, plan.GtidFromHostgroup, plan.MinGtid), cancellationToken,
                idempotent, retries: plan.Retries, timeoutMs: plan.Timeout ?? settings.DefaultQueryTimeout, capture: capture).ConfigureAwait(false);
        }
        finally
        {
            _statementReadsDiagnostics = false;
            _recordsStatement = false;
            _statementLogged = false;
            CommandStartedAt = null;
        }
        if (succeeded && cacheKey is { } key && capture is { Overflowed: false } && ShouldCache(plan.CacheEmptyResult, out var clearWarnings))
        {
            var response = capture.ToArray();
            if (clearWarnings)
                CachedResultWarnings.Clear(response, (_capabilities & CapabilityFlags.DeprecateEof) != 0);
            _cache.Store(key, response, plan.CacheTtl!.Value);
        }
        if (succeeded && set is not null)
            ApplySet(set);
        if (succeeded && info.Kind == StatementKind.Set && SessionHistoryStatement.SetsGlobalScope(sql.Span))
            _backends.OnGlobalVariablesChanged();
        if (succeeded && info.UnlocksTables)
            _state.Pins &= ~PinReasons.TableLocks;
    }

    /// <summary>Statements that must run where the session's connection-bound state is (reads of LAST_INSERT_ID, FOUND_ROWS…).</summary>
    private bool MustStayOnBackend(in StatementInfo info) =>
        _backend is not null && ((_status & ServerStatusFlags.InTransaction) != 0 || _state.Pins != PinReasons.None ||
            _keepAttachedFor > 0 || info.ReadsLastInsertId);

    /// <summary>The statement now being planned reads the diagnostics area (see <see cref="StateSynchronizer.SyncAsync"/>).</summary>
    private bool _statementReadsDiagnostics;

    /// <summary>What pins the statement adds if it succeeds; also parses a SET so its effect can be tracked.</summary>
    private static PinReasons PinsAfter(in StatementInfo info, StatementText sql, out SetStatement? set)
    {
        set = null;
        var pins = PinReasons.None;
        if (info.Kind == StatementKind.Set)
        {
            set = info.IsMultiStatement ? SetStatement.Untrackable : SetStatementParser.Parse(sql.ToString());
            if (set.Kind == SetStatementKind.Untrackable)
                pins |= PinReasons.UntrackedSet;
            else if (set.Kind == SetStatementKind.NextTransaction)
                pins |= PinReasons.NextTransactionCharacteristics;
        }
        if (info.UsesUserVariables)
            pins |= PinReasons.UserVariables;
        if (info.CreatesTemporaryTable)
            pins |= PinReasons.TemporaryTable;
        if (info.LocksTables)
            pins |= PinReasons.TableLocks;
        if (info.GetsNamedLock)
            pins |= PinReasons.NamedLocks;
        if (info.CalcFoundRows)
            pins |= PinReasons.FoundRows;
        if (info.Kind == StatementKind.Prepare)
            pins |= PinReasons.TextPreparedStatement;
        // Only the first statement of a multi-statement query was looked at: whatever follows may leave state behind.
        if (info.IsMultiStatement)
            pins |= PinReasons.UntrackedSet;
        return pins;
    }

    private void ApplySet(SetStatement set)
    {
        var backend = _backend;
        switch (set.Kind)
        {
            case SetStatementKind.SessionVariables:
                foreach (var (name, value) in set.Variables)
                {
                    _state.SetVariable(name, value);
                    backend?.AppliedVariables[name] = value;
                }
                break;
            case SetStatementKind.CharacterSet:
                _state.SetCharacterSet(set.CharacterSetStatement!);
                backend?.CharacterSetStatement = set.CharacterSetStatement;
                break;
        }
        if (backend is not null && ReferenceEquals(backend.SyncedSession, this))
            backend.SyncedVersion = _state.Version;
    }

    /// <summary>
    /// Sends a client command to a backend connection of <paramref name="route"/>'s hostgroup (or the session's
    /// current one) and relays the answer. Returns true if the server answered without an error.
    /// If the connection dies before any answer, the command is sent again on another connection when that is safe:
    /// always if it never left the proxy, and for a read (<paramref name="idempotent"/>) even if it did; never inside a
    /// transaction or with connection-bound state, whose loss the client must hear about.
    /// </summary>
    /// <param name="adaptFor">The client's prepared statement the command is for: rewritten for the connection it goes to.</param>
    /// <param name="onPrepared">Told the backend's statement id and parameter count after a successful COM_STMT_PREPARE.</param>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> ForwardAsync(ReadOnlyMemory<byte> payload, ResponseKind kind, Route route, CancellationToken cancellationToken,
        bool idempotent = false, ClientStatement? adaptFor = null,
        uint clientStatementId = 0, Action<BackendConnection, uint, int>? onPrepared = null, int? retries = null, int timeoutMs = 0,
        ResponseCapture? capture = null)
    {
        var original = payload;
        var firstSequenceId = (byte)(_client.LastSequenceId + 1);
        // A rule's retries overrides mysql-query_retries_on_failure for its statements.
        var retriesLeft = retries ?? _runtime.Snapshot.Settings.QueryRetriesOnFailure;
        ReadOnlyWriterWait? readOnlyWait = null; // only during a switchover
        var retried = false;
        try
        {
        while (true)
        {
            var movable = (_status & ServerStatusFlags.InTransaction) == 0 && _state.Pins == PinReasons.None;
            // A read that can still be retried takes a pooled connection on the epoll engine's word, without a poll; a
            // retry asks the kernel.
            var retryable = idempotent && movable && retriesLeft > 0 && !retried;
            var backend = await EnsureBackendAsync(route.Hostgroup, cancellationToken, route.NewConnection, route.GtidFromHostgroup, route.MinGtid,
                retryable).ConfigureAwait(false);
            if (backend is null)
                return false;
            if (adaptFor is not null)
            {
                try
                {
                    var adapted = await AdaptStatementCommandAsync(backend, adaptFor, original, cancellationToken).ConfigureAwait(false);
                    if (adapted is null)
                        return false;
                    payload = adapted.Value;
                }
                catch (Exception ex) when (ex is IOException or ProtocolException or ObjectDisposedException)
                {
                    if (movable && retriesLeft-- > 0)
                    {
                        DropDeadBackend(backend, "failed while preparing the statement on it; retrying on another connection");
                        payload = original;
                        retried = true;
                        continue;
                    }
                    await BackendLostAsync(backend, firstSequenceId, sentNothing: true, ex.Message).ConfigureAwait(false);
                    return false;
                }
            }

            _phase = SessionPhase.Forwarding;
            var command = (CommandKind)payload.Span[0];
            var channel = backend.Channel;
            MarkBusy(backend);
            channel.StartCommand();
            try
            {
                channel.WritePayload(payload.Span);
                await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                if (movable && retriesLeft-- > 0)
                {
                    DropDeadBackend(backend, "failed before the statement was sent; retrying on another connection");
                    retried = true;
                    continue;
                }
                await BackendLostAsync(backend, firstSequenceId, sentNothing: true, ex.Message).ConfigureAwait(false);
                return false;
            }

            while (true)
            {
                _phase = SessionPhase.Relaying;
                // Only writes wait for a writable server; a read refused as read-only (e.g. a locking read sent to a
                // replica by the rules) gets its error, as in ProxySQL.
                var holdBack = movable && !idempotent && command is CommandKind.Query or CommandKind.StmtExecute;
                RelayOutcome outcome;
                using (_queryTimeout.Arm(timeoutMs, backend, _credentials!))
                {
                    outcome = await _relay.RelayAsync(channel.Input, _client.Output, kind, backend.Capabilities, cancellationToken,
                        clientStatementId, holdBack, capture, expectedSequenceId: channel.NextSequenceId).ConfigureAwait(false);
                }
                if (outcome.End == RelayEnd.Completed && outcome.HeldBackReadOnly)
                {
                    // The writer turned read-only (a switchover): the statement did not run. Wait for the monitor to
                    // move the writer role, then send it again, within mysql-connect_timeout_server_max.
                    backend.Status = outcome.Status;
                    ReleaseBackend(reusable: true);
                    readOnlyWait ??= new ReadOnlyWriterWait();
                    if (await readOnlyWait.WaitAsync(_backends.Demand, route.Hostgroup ?? _user!.DefaultHostgroup,
                        _runtime.Snapshot.Settings.ConnectTimeoutServerMax, cancellationToken).ConfigureAwait(false))
                    {
                        payload = original;
                        break;
                    }
                    _client.NextSequenceId = firstSequenceId;
                    await SendErrorAsync(new MySqlError(ResponseRelay.ReadOnlyErrorCode, "HY000", outcome.HeldBackMessage ?? "read-only")).ConfigureAwait(false);
                    return false;
                }
                switch (outcome.End)
                {
                    case RelayEnd.Completed:
                        _lastRelay = outcome;
                        if (command == CommandKind.StmtPrepare && !outcome.IsError)
                            onPrepared?.Invoke(backend, outcome.PreparedStatementId, outcome.PreparedParameterCount);
                        AfterResponse(backend, command, payload.Span, route, ref outcome);
                        return !outcome.IsError;
                    case RelayEnd.ClientLost:
                        backend.Abort();
                        _phase = SessionPhase.Closing;
                        return false;
                    case RelayEnd.BackendLost:
                        if (outcome.MidPacket)
                        {
                            // Part of a packet reached the client: the stream cannot be repaired, only closed.
                            backend.MarkBroken();
                            LogBackendLost(ConnectionId, backend.Server.ToString(), "in the middle of a packet; closing the client connection");
                            _phase = SessionPhase.Closing;
                            return false;
                        }
                        if (outcome.BytesForwarded == 0 && idempotent && movable && retriesLeft-- > 0)
                        {
                            DropDeadBackend(backend, outcome.OutOfSequence
                                ? "sent a packet out of sequence before the answer to a read; retrying it on another connection"
                                : "died during a read; retrying it on another connection");
                            payload = original;
                            retried = true;
                            break;
                        }
                        var sequenceId = outcome.BytesForwarded == 0 ? firstSequenceId : (byte)(outcome.LastSequenceId + 1);
                        // The statement reached the backend: whether it ran is unknown, and the client is told so.
                        await BackendLostAsync(backend, sequenceId, sentNothing: false,
                            outcome.OutOfSequence ? "it sent a packet out of sequence before the answer" : "it closed the connection").ConfigureAwait(false);
                        return false;
                    case RelayEnd.LocalInfileRequested:
                        _phase = SessionPhase.RelayingLocalInfile;
                        if (!await RelayLocalInfileAsync(backend, cancellationToken).ConfigureAwait(false))
                            return false;
                        kind = ResponseKind.ResultSets;
                        continue;
                }
                break;
            }
        }
        }
        finally
        {
            MarkIdle();
            readOnlyWait?.Dispose();
        }
    }

    private void RecordBackendError(BackendConnection backend, in RelayOutcome outcome) =>
        _stats.RecordBackendError(
            new BackendErrorKey(_backendHostgroup, backend.Server.Hostname, backend.Server.Port, _user!.Username, _state.Schema ?? "", outcome.ErrorCode),
            _clientAddress, outcome.ErrorMessage ?? "");

    private void DropDeadBackend(BackendConnection backend, string what)
    {
        backend.MarkBroken();
        _backend = null;
        _keepAttachedFor = 0;
        _backends.Release(backend, reusable: false);
        LogBackendLost(ConnectionId, backend.Server.ToString(), what);
    }

    private void AfterResponse(BackendConnection backend, CommandKind command, ReadOnlySpan<byte> payload, Route route, ref RelayOutcome outcome)
    {
        // Recorded first: the digest row belongs to the schema the statement ran in.
        if (command == CommandKind.Query && _recordsStatement)
        {
            var elapsed = _stats.ElapsedMicroseconds(_statementStarted);
            _stats.Record(new ExecutedStatement
            {
                Query = _text.Memory,
                Digest = _statementDigest,
                Hostgroup = _backendHostgroup,
                Schema = _state.Schema ?? "",
                Username = _user!.Username,
                ClientAddress = _clientAddress,
                ElapsedMicroseconds = elapsed,
                RowsAffected = (long)outcome.AffectedRows,
                RowsSent = outcome.RowsSent,
            });
            if (_statementLogged)
                LogEvent(_text.ToString(), _backendHostgroup, backend.Server, elapsed, (long)outcome.AffectedRows, outcome.RowsSent);
        }
        if (outcome.HasStatus)
        {
            _status = outcome.Status & (ServerStatusFlags.InTransaction | ServerStatusFlags.Autocommit | ServerStatusFlags.InTransactionReadOnly);
            backend.Status = outcome.Status;
        }
        backend.Server.OnQuery(payload.Length, outcome.BytesForwarded);
        if (outcome.HasGtid || outcome.HasMySqlGtid)
            RecordWrite(backend, outcome);
        // Kept until a reset: SHOW WARNINGS itself reports none, yet leaves the earlier ones in place.
        if (outcome.IsError || outcome.Warnings > 0)
            backend.DiagnosticsOwner = this;
        if (outcome.IsError)
            RecordBackendError(backend, in outcome);
        if (!outcome.IsError)
        {
            _state.Pins |= route.PinsOnSuccess;
            if (command == CommandKind.StmtExecute)
                _state.Pins &= ~PinReasons.LongData;
            if (outcome.ChangedSchema is not null)
                _state.SetSchema(outcome.ChangedSchema);
            else if (command == CommandKind.InitDb)
                _state.SetSchema(Encoding.UTF8.GetString(payload[1..]));
            else if (command == CommandKind.Query && SqlText.TryGetUseSchema(payload[1..], out var schema))
                _state.SetSchema(schema);
            backend.Schema = _state.Schema ?? backend.Schema;
            if (ReferenceEquals(backend.SyncedSession, this) && outcome.ChangedSchema is null)
                backend.SyncedVersion = _state.Version;
        }
        if (outcome.OpenedCursor)
            _state.Pins |= PinReasons.OpenCursor;
        else if (command is CommandKind.StmtExecute or CommandKind.StmtReset or CommandKind.StmtClose)
            _state.Pins &= ~PinReasons.OpenCursor;
        if ((_status & ServerStatusFlags.InTransaction) == 0)
            _state.Pins &= ~PinReasons.NextTransactionCharacteristics;

        if (_keepAttachedFor > 0)
            _keepAttachedFor--;
        if (outcome.LastInsertId != 0 || outcome.Warnings > 0)
            _keepAttachedFor = FollowUpStatements;
        MaybeRelease();
    }

    /// <summary>Multiplexing: outside a transaction and without connection-bound state, the connection goes back to the pool.</summary>
    private void MaybeRelease()
    {
        if (_backend is null || (_status & ServerStatusFlags.InTransaction) != 0 || _state.Pins != PinReasons.None || _keepAttachedFor > 0)
            return;
        if (!_runtime.Snapshot.Settings.Multiplexing)
            return;
        ReleaseBackend(reusable: true);
    }

    /// <summary>The backend connection died. Tell the client (when the protocol still allows it) and drop the connection.</summary>
    private async Task BackendLostAsync(BackendConnection backend, byte sequenceId, bool sentNothing, string reason)
    {
        DropDeadBackend(backend, reason);
        var inTransaction = (_status & ServerStatusFlags.InTransaction) != 0;
        var lostState = _state.Pins;
        _state.Pins = PinReasons.None;
        _status &= ~(ServerStatusFlags.InTransaction | ServerStatusFlags.InTransactionReadOnly);
        _client.NextSequenceId = sequenceId;
        var what = sentNothing ? "before the statement could run" : "while the statement ran (its outcome is unknown)";
        var transaction = inTransaction ? "; the open transaction was rolled back" : "";
        var state = lostState != PinReasons.None ? $"; connection-bound state was lost ({lostState})" : "";
        // A server-range code: client libraries turn 2000-2999 codes from a server into "malformed packet".
        await SendErrorAsync(new MySqlError(ErrorCodes.BackendLost, "08S01",
            $"Lost connection to backend {backend.Server} {what}{transaction}{state}")).ConfigureAwait(false);
    }

    /// <summary>Relays the client's file (packets until an empty one) to the backend, which then answers with OK or ERR.</summary>
    private async Task<bool> RelayLocalInfileAsync(BackendConnection backend, CancellationToken cancellationToken)
    {
        while (true)
        {
            var chunk = await _client.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
            if (chunk.IsClosed)
            {
                backend.Abort();
                _phase = SessionPhase.Closing;
                return false;
            }
            backend.Channel.NextSequenceId = _client.LastSequenceId;
            backend.Channel.WritePayload(chunk.Payload.Span);
            await backend.Channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (chunk.Payload.IsEmpty)
                return true;
        }
    }

    /// <summary>
    /// A backend connection for the next statement: the session's current one if it must stay (transaction, pins,
    /// follow-up) or already serves the wanted hostgroup; otherwise one from the pool of that hostgroup, brought in
    /// line with the session's state. On failure the client has been sent the error and null is returned.
    /// </summary>
    /// <param name="newConnection">Open a new connection instead of reusing one, unless the session must stay where it is.</param>
    /// <param name="gtidFromHostgroup">A rule's gtid_from_hostgroup: see <see cref="WritesToSee"/>.</param>
    /// <param name="minGtid">A <c>min_gtid</c> annotation: see <see cref="WritesToSee"/>.</param>
    /// <param name="retryable">The statement can be sent again if the connection is dead: see <see cref="BackendConnectionProvider.AcquireAsync"/>.</param>
    private async ValueTask<BackendConnection?> EnsureBackendAsync(int? wantedHostgroup, CancellationToken cancellationToken, bool newConnection = false,
        int? gtidFromHostgroup = null, string? minGtid = null, bool retryable = false)
    {
        var hostgroup = wantedHostgroup ?? _user!.DefaultHostgroup;
        var replySequence = (byte)(_client.LastSequenceId + 1);
        if (_backend is { IsBroken: false } attached)
        {
            var pinned = (_status & ServerStatusFlags.InTransaction) != 0 || _state.Pins != PinReasons.None;
            if (attached.Generation != attached.Server.Generation)
            {
                // Its server went OFFLINE_HARD, left every hostgroup or was shunned: ProxySQL drops such connections,
                // and with them whatever was open on them.
                if (pinned)
                {
                    attached.Abort();
                    await BackendLostAsync(attached, replySequence, sentNothing: true, "its server was taken out of service").ConfigureAwait(false);
                    return null;
                }
                ReleaseBackend(reusable: false);
            }
            else if (pinned || (!newConnection && (wantedHostgroup is null || _backendHostgroup == hostgroup)))
            {
                return attached;
            }
            else
            {
                ReleaseBackend(reusable: true);
            }
        }
        else if (_backend is not null)
        {
            ReleaseBackend(reusable: false);
        }

        // Read-your-writes: one null check for sessions that never wrote.
        var writes = _writes is null ? null : WritesToSee(hostgroup, gtidFromHostgroup);
        if (minGtid is not null)
            writes = WritesToSee(hostgroup, writes, minGtid);
        if (writes is not null)
            _backends.Demand.OnGtidPositionsNeeded();
        if (writes is not null && !_runtime.Snapshot.Settings.ReadYourWritesWaits && !AnyServerHas(hostgroup, writes))
        {
            _backends.ReadYourWrites.Count(hostgroup, Gtid.ReadYourWritesOutcome.Writer);
            hostgroup = writes.Hostgroup;
            writes = null;
        }

        _phase = SessionPhase.AcquiringBackend;
        // A connection that fails while it is being brought in line carried none of this session's state yet:
        // take another one (a pooled connection of a server that just died fails exactly like this).
        for (var attempt = 0; ; attempt++)
        {
            BackendConnection backend;
            try
            {
                backend = await _backends.AcquireAsync(hostgroup, _credentials!, PoolKey, _state.Schema, cancellationToken, newConnection,
                    preferApplied: writes, retryable: retryable && attempt == 0).ConfigureAwait(false);
            }
            catch (BackendAcquireException ex)
            {
                _client.NextSequenceId = replySequence;
                await SendErrorAsync(ex.Error).ConfigureAwait(false);
                return null;
            }
            _backend = backend;
            _backendHostgroup = hostgroup;
            try
            {
                await BackendCommands.ClosePendingStatementsAsync(backend, cancellationToken).ConfigureAwait(false);
                var error = await StateSynchronizer.SyncAsync(_state, this, backend, cancellationToken, _statementReadsDiagnostics).ConfigureAwait(false);
                if (error is not null)
                {
                    ReleaseBackend(reusable: true);
                    _client.NextSequenceId = replySequence;
                    await SendErrorAsync(error).ConfigureAwait(false);
                    return null;
                }
                if (!backend.TracksGtids && _runtime.Snapshot.ReadYourWritesInUse)
                    await TrackGtidsAsync(backend, cancellationToken).ConfigureAwait(false);
                if (writes is null || await EnsureSeesWritesAsync(backend, hostgroup, writes, cancellationToken).ConfigureAwait(false))
                    return backend;
            }
            catch (Exception ex) when (ex is IOException or ProtocolException or ObjectDisposedException)
            {
                if (attempt < MaxSyncAttempts)
                {
                    DropDeadBackend(backend, "failed before the statement was sent; taking another connection");
                    continue;
                }
                await BackendLostAsync(backend, replySequence, sentNothing: true, ex.Message).ConfigureAwait(false);
                return null;
            }
            // No server of the hostgroup had the session's writes in time: the hostgroup it wrote to answers.
            return await EnsureBackendAsync(writes.Hostgroup, cancellationToken, newConnection).ConfigureAwait(false);
        }
    }

    private bool AnyServerHas(int hostgroup, Gtid.SessionWrites writes) =>
        _runtime.Snapshot.FindHostgroup(hostgroup) is { } members && BackendConnectionProvider.AnyServerWith(members, writes);

    /// <summary>How many fresh connections a statement may go through before its error is reported.</summary>
    private const int MaxSyncAttempts = 5;

    /// <summary>COM_RESET_CONNECTION: the session starts again as freshly logged in; connection-bound state goes with its connection.</summary>
    private void ResetSession()
    {
        if (_backend is not null)
            _backend.NeedsReset = true;
        ReleaseBackend(reusable: true);
        _statements.Clear();
        _status = ServerStatusFlags.Autocommit;
        // Like the server, a reset keeps the current database.
        _state.Reset(_state.Schema, Collations.SetNamesStatement(_collation));
    }

    /// <summary>
    /// COM_CHANGE_USER: log the session in again as another user (re-authenticated here, against the proxy's users),
    /// with all session state dropped, as the server would do. A refusal is answered as MariaDB answers it (see
    /// <see cref="RefuseChangeUserAsync"/>); false only if the client went away.
    /// </summary>
    private async Task<bool> ChangeUserAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (_refusedChangeUsers >= MaxRefusedChangeUsers)
        {
            // MariaDB's limit against password guessing: no more attempts on this connection, not even right ones.
            await RefuseChangeUserAsync(new MySqlError(ErrorCodes.UnknownCommand, "08S01", "Unknown command"), cancellationToken).ConfigureAwait(false);
            return true;
        }
        var request = ChangeUserRequest.Read(payload.Span, _capabilities);
        var snapshot = _runtime.Snapshot;
        snapshot.FrontendUsers.TryGetValue(request.Username, out var user);
        var result = await FrontendReauthentication.RunAsync(_client, request.Username, user?.Password, _transport.Tls is not null,
            new FrontendAuthSettings(snapshot.Settings.DefaultAuthenticationPlugin, AuthContext), cancellationToken).ConfigureAwait(false);
        if (result.IsClosed)
            return false;
        if (user is null || result.Secrets is null)
        {
            var host = Remote?.Address.ToString() ?? "unknown";
            await RefuseChangeUserAsync(new MySqlError(ErrorCodes.AccessDenied, "28000",
                $"Access denied for user '{request.Username}'@'{host}' (using password: {(result.HadPassword ? "YES" : "NO")})"), cancellationToken).ConfigureAwait(false);
            return true;
        }
        var lockedSchema = LockedSchemaOf(user, snapshot.Settings);
        if (RefuseSchemaChange(user.Username, lockedSchema, request.Database) is { } locked)
        {
            // The server refuses a database the new user may not use as it refuses a wrong password.
            await RefuseChangeUserAsync(locked, cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (_backend is not null)
            _backend.NeedsReset = true;
        ReleaseBackend(reusable: true);
        if (_userCounted && _user is not null)
            _registry.RemoveUserConnection(_user.Username);
        _userCounted = _registry.TryAddUserConnection(user.Username, user.MaxConnections);
        _user = user;
        _lockedSchema = lockedSchema;
        _credentials = BackendCredentials.For(user, snapshot, result.Secrets);
        if (request.Collation != 0)
            _collation = request.Collation;
        _statements.Clear();
        _status = ServerStatusFlags.Autocommit;
        _state.Reset(request.Database ?? user.DefaultSchema ?? snapshot.Settings.DefaultSchema, Collations.SetNamesStatement(_collation));
        await SendOkAsync().ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {Id}: backend {Server} lost: {Reason}")]
    private partial void LogBackendLost(uint id, string server, string reason);
}
