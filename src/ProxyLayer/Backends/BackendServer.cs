namespace ProxyLayer.Backends;

/// <summary>
/// A backend server (host:port) and its pool of idle connections. It lives as long as the server is configured in
/// any hostgroup, across configuration loads, so counters and pooled connections survive a LOAD … TO RUNTIME.
/// </summary>
internal sealed class BackendServer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BackendPoolKey, Stack<BackendConnection>> _idle = [];
    private int _idleCount;
    private int _openCount;
    /// <summary>The most connections in use at once since the pool maintenance last looked (see <see cref="TakePeakUsed"/>).</summary>
    private int _peakUsed;
    private int _connecting;
    private int _generation;
    private long _connectOk;
    private long _connectErrors;
    private long _queries;
    private long _bytesSent;
    private long _bytesReceived;
    private long _failureWindowStart;
    private int _failuresInWindow;
    private long _avoidUntil;
    private readonly long[] _pingLatencies = new long[3];
    private int _pingSamples;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _changeUserRefused = new(StringComparer.Ordinal);
    /// <summary>Sessions waiting for a connection to come back, oldest first (under <see cref="_gate"/>).</summary>
    private readonly LinkedList<ReleaseWaiter> _waiters = [];

    private readonly BackendIdentityState? _identity;

    /// <param name="identity">Where this server's greetings are reported (the registry's); null: nowhere.</param>
    public BackendServer(string hostname, int port, BackendIdentityState? identity = null)
    {
        Hostname = hostname;
        Port = port;
        _identity = identity;
    }

    public string Hostname { get; }
    public int Port { get; }

    public int OpenConnections => Volatile.Read(ref _openCount);

    /// <summary>
    /// Reserves room for one new connection under <paramref name="maxConnections"/>, counting connections being
    /// opened, so a burst of sessions cannot overshoot the server's limit. Release with <see cref="ReleaseConnectSlot"/>.
    /// </summary>
    public bool TryReserveConnectSlot(int maxConnections)
    {
        while (true)
        {
            var connecting = Volatile.Read(ref _connecting);
            if (OpenConnections + connecting >= maxConnections)
                return false;
            if (Interlocked.CompareExchange(ref _connecting, connecting + 1, connecting) == connecting)
                return true;
        }
    }

    /// <summary>
    /// Frees a slot taken by <see cref="TryReserveConnectSlot"/> and wakes the oldest session waiting for a connection, so
    /// it can open one in its place: a connect that failed would otherwise leave the waiters with nothing to come back.
    /// </summary>
    public void ReleaseConnectSlot()
    {
        Interlocked.Decrement(ref _connecting);
        // Read without the lock, to skip it when nobody waits: a waiter queued just after is woken by its budget.
        if (_waiters.Count > 0)
        {
            lock (_gate)
                WakeFirstWaiter();
        }
    }

    /// <summary>Ends the oldest wait with no connection (it tries again at once). Under <see cref="_gate"/>.</summary>
    private void WakeFirstWaiter()
    {
        if (_waiters.First is { } first)
        {
            _waiters.Remove(first);
            first.Value.Handoff.SetResult(null);
        }
    }

    /// <summary>
    /// Prepared statements the proxy may keep open on one server over all its connections: three quarters of the
    /// default <c>max_prepared_stmt_count</c> (16382) of MySQL and MariaDB, leaving room for the server's other clients.
    /// </summary>
    public const int PreparedStatementBudget = 12_000;

    private int _preparedStatements;

    /// <summary>Statements the proxy's connections hold prepared on this server.</summary>
    public int PreparedStatements => Volatile.Read(ref _preparedStatements);
    public void OnStatementsPrepared(int count) => Interlocked.Add(ref _preparedStatements, count);
    public void OnStatementsClosed(int count) => Interlocked.Add(ref _preparedStatements, -count);

    /// <summary>Connections being opened right now.</summary>
    public int ConnectsInFlight => Volatile.Read(ref _connecting);
    public int IdleConnections => Volatile.Read(ref _idleCount);
    public int UsedConnections => Math.Max(0, OpenConnections - IdleConnections);
    public long ConnectOk => Interlocked.Read(ref _connectOk);
    public long ConnectErrors => Interlocked.Read(ref _connectErrors);
    public long Queries => Interlocked.Read(ref _queries);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    /// <summary>Bumped to retire every connection opened before; such connections are closed when released.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public void OnConnectionOpened()
    {
        Interlocked.Increment(ref _openCount);
        Interlocked.Increment(ref _connectOk);
        NotePeakUse();
    }

    /// <summary>
    /// The most connections in use at once since the last call, at least those in use now. A sample of
    /// <see cref="UsedConnections"/> would miss the peaks: multiplexed statements hold a connection for a fraction of a
    /// millisecond, so a sample sees a few of them, and idle connections trimmed to it are opened again at once.
    /// </summary>
    public int TakePeakUsed()
    {
        var now = UsedConnections;
        return Math.Max(now, Interlocked.Exchange(ref _peakUsed, now));
    }

    /// <summary>Raises the peak to the connections in use now; a compare-exchange only when it is a new peak.</summary>
    private void NotePeakUse()
    {
        var used = OpenConnections - _idleCount;
        var peak = Volatile.Read(ref _peakUsed);
        while (used > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakUsed, used, peak);
            if (seen == peak)
                return;
            peak = seen;
        }
    }

    public void OnConnectionClosed() => Interlocked.Decrement(ref _openCount);

    /// <summary>A greeting the proxy read from this server: what the MySQL interface's own greeting follows.</summary>
    public void OnGreeting(string version, Protocol.CapabilityFlags capabilities) => _identity?.OnGreeting(version, capabilities);

    /// <summary>The server's version as the monitor saw it.</summary>
    public void OnVersionSeen(string version) => _identity?.OnVersion(version);
    public void OnConnectError()
    {
        Interlocked.Increment(ref _connectErrors);
        var now = Environment.TickCount64;
        lock (_gate)
        {
            // ProxySQL's rule: shun_on_failures connect errors within one second shun the server for a while.
            if (now - _failureWindowStart > 1000)
            {
                _failureWindowStart = now;
                _failuresInWindow = 0;
            }
            _failuresInWindow++;
        }
    }

    /// <summary>Connect errors seen in the current one-second window.</summary>
    public int RecentConnectFailures
    {
        get
        {
            lock (_gate)
                return Environment.TickCount64 - _failureWindowStart > 1000 ? 0 : _failuresInWindow;
        }
    }

    /// <summary>Until when (Environment.TickCount64) the data path avoids this server after repeated connect errors.</summary>
    public long AvoidUntil
    {
        get => Interlocked.Read(ref _avoidUntil);
        set => Interlocked.Exchange(ref _avoidUntil, value);
    }

    public void OnConnectSucceeded() => AvoidUntil = 0;

    /// <summary>What the monitor last saw go wrong with this server, for timing failovers.</summary>
    public FailureSigns FailureSigns { get; } = new();

    /// <summary>
    /// The monitor's ping time, averaged over the last 3 successful pings as ProxySQL does; 0 until the first one.
    /// Balancing leaves out servers slower than their max_latency_ms, and stats show it as Latency_us.
    /// </summary>
    public long PingLatencyUs
    {
        get
        {
            lock (_gate)
            {
                var count = Math.Min(_pingSamples, _pingLatencies.Length);
                if (count == 0)
                    return 0;
                long sum = 0;
                for (var i = 0; i < count; i++)
                    sum += _pingLatencies[i];
                return sum / count;
            }
        }
    }

    public void RecordPingLatency(long microseconds)
    {
        lock (_gate)
            _pingLatencies[_pingSamples++ % _pingLatencies.Length] = Math.Max(0, microseconds);
    }

    public void OnQuery(long bytesSent, long bytesReceived)
    {
        Interlocked.Increment(ref _queries);
        Interlocked.Add(ref _bytesSent, bytesSent);
        Interlocked.Add(ref _bytesReceived, bytesReceived);
    }

    /// <summary>Bytes relayed by a fast_forward session, which has no statements to count.</summary>
    public void OnBytesSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    public void OnBytesReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    /// <summary>An idle connection for <paramref name="key"/>, most recently used first (warm caches, fewer idle timeouts).</summary>
    public BackendConnection? TryTakeIdle(BackendPoolKey key)
    {
        lock (_gate)
            return PopIdle(key);
    }

    /// <summary>The most recently parked connection for <paramref name="key"/>; the caller holds <see cref="_gate"/>.</summary>
    private BackendConnection? PopIdle(BackendPoolKey key)
    {
        if (!_idle.TryGetValue(key, out var stack) || stack.Count == 0)
            return null;
        _idleCount--;
        NotePeakUse();
        return stack.Pop();
    }

    /// <summary>Whether COM_CHANGE_USER to <paramref name="username"/> was refused here within the last minute.</summary>
    public bool RefusedChangeUserRecently(string username) =>
        !_changeUserRefused.IsEmpty && _changeUserRefused.TryGetValue(username, out var at) && Environment.TickCount64 - at < 60_000;

    public void OnChangeUserRefused(string username) => _changeUserRefused[username] = Environment.TickCount64;

    /// <summary>
    /// An idle connection of another user with the same capabilities and collation, from the user with the most idle
    /// ones; the caller logs it in again with COM_CHANGE_USER (ProxySQL: "else any free one").
    /// </summary>
    public BackendConnection? TryTakeIdleOfAnotherUser(BackendPoolKey key)
    {
        lock (_gate)
        {
            Stack<BackendConnection>? richest = null;
            foreach (var (idleKey, stack) in _idle)
            {
                if (stack.Count > 0 && idleKey.Capabilities == key.Capabilities && idleKey.Collation == key.Collation
                    && idleKey.Link == key.Link && !string.Equals(idleKey.Username, key.Username, StringComparison.Ordinal) && stack.Count > (richest?.Count ?? 0))
                    richest = stack;
            }
            if (richest is null)
                return null;
            _idleCount--;
            NotePeakUse();
            return richest.Pop();
        }
    }

    /// <summary>
    /// Hands a clean connection to the oldest session waiting for one of its kind, or parks it; returns false (caller
    /// closes it) if neither is possible because the idle cap is reached.
    /// </summary>
    public bool TryReturnIdle(BackendConnection connection, int maxIdle)
    {
        lock (_gate)
        {
            for (var node = _waiters.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == connection.Key)
                {
                    _waiters.Remove(node);
                    // Completed under the lock, as every end of a wait is, so each wait ends exactly once.
                    node.Value.Handoff.SetResult(connection);
                    return true;
                }
            }
            if (_idleCount >= maxIdle)
                return false;
            if (!_idle.TryGetValue(connection.Key, out var stack))
                _idle[connection.Key] = stack = new Stack<BackendConnection>();
            stack.Push(connection);
            _idleCount++;
            // Only sessions of other kinds wait: the oldest looks again, and may take this one with COM_CHANGE_USER.
            WakeFirstWaiter();
            return true;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="budget"/> for a connection for <paramref name="key"/> to be released by another
    /// session; null if none came, or when a connect slot freed or a connection of another kind was parked (the caller
    /// looks again). Under a burst, a busy connection usually comes back sooner than a new one could be opened, and
    /// taking it keeps the burst from leaving connections behind that nobody needs a moment later.
    /// </summary>
    public async ValueTask<BackendConnection?> WaitForReleaseAsync(BackendPoolKey key, TimeSpan budget, CancellationToken cancellationToken)
    {
        ReleaseWaiter waiter;
        lock (_gate)
        {
            if (PopIdle(key) is { } idle)
                return idle;
            waiter = new ReleaseWaiter(this, key);
            waiter.Node = _waiters.AddLast(waiter);
        }
        // The budget and the cancellation end the wait through the same locked path as a hand-over, with no exception:
        // under a burst thousands of sessions wait at once, and a thrown TimeoutException each would cost more CPU
        // than the statements they wait for.
        using var budgetTimer = TimeProvider.System.CreateTimer(static w => ((ReleaseWaiter)w!).GiveUp(), waiter, budget, Timeout.InfiniteTimeSpan);
        using var cancellation = cancellationToken.UnsafeRegister(static w => ((ReleaseWaiter)w!).GiveUp(), waiter);
        var connection = await waiter.Handoff.Task.ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            // Handed over just as the session went away: the connection goes back for someone else.
            if (connection is not null && !TryReturnIdle(connection, int.MaxValue))
                await connection.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return connection;
    }

    /// <summary>Ends a wait with no connection if it is still queued (its budget ran out, or its session went away).</summary>
    private void GiveUp(ReleaseWaiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
                return;
            _waiters.Remove(waiter.Node);
            waiter.Handoff.SetResult(null);
        }
    }

    /// <summary>One session waiting in <see cref="_waiters"/>; every completion of <see cref="Handoff"/> happens under the lock.</summary>
    private sealed class ReleaseWaiter(BackendServer server, BackendPoolKey key)
    {
        public BackendPoolKey Key { get; } = key;
        public LinkedListNode<ReleaseWaiter>? Node { get; set; }
        /// <summary>A connection handed over, or null: look again (the budget ran out, a connect slot freed, or another kind of connection was parked).</summary>
        public TaskCompletionSource<BackendConnection?> Handoff { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void GiveUp() => server.GiveUp(this);
    }

    /// <summary>Removes every idle connection (for closing) and retires the ones in use.</summary>
    public List<BackendConnection> DrainAll()
    {
        Interlocked.Increment(ref _generation);
        return TakeIdle(static _ => true);
    }

    /// <summary>Removes up to <paramref name="count"/> idle connections, least recently used first.</summary>
    public List<BackendConnection> TakeLeastRecentlyUsedIdle(int count)
    {
        if (count <= 0)
            return [];
        HashSet<BackendConnection> oldest;
        lock (_gate)
            oldest = _idle.Values.SelectMany(stack => stack).OrderBy(c => c.LastUsedTimestamp).Take(count).ToHashSet();
        // Any of them taken in the meantime by a session is simply no longer idle, and not taken here.
        return TakeIdle(oldest.Contains);
    }

    /// <summary>Removes the idle connections that match <paramref name="predicate"/>, e.g. those idle for too long.</summary>
    public List<BackendConnection> TakeIdle(Func<BackendConnection, bool> predicate)
    {
        var taken = new List<BackendConnection>();
        lock (_gate)
        {
            foreach (var (key, stack) in _idle)
            {
                if (stack.Count == 0)
                    continue;
                var keep = stack.Where(c => !predicate(c)).Reverse().ToList();
                taken.AddRange(stack.Where(predicate));
                stack.Clear();
                foreach (var connection in keep)
                    stack.Push(connection);
            }
            _idleCount -= taken.Count;
        }
        return taken;
    }

    /// <summary>
    /// What the monitor last read of this server's applied GTIDs (<c>@@gtid_current_pos</c>); null until read. An
    /// immutable value swapped whole, read by routing without a lock. Positions only grow, so a stale one is merely
    /// pessimistic.
    /// </summary>
    public Gtid.GtidPosition? AppliedGtids
    {
        get => Volatile.Read(ref _appliedGtids);
        set => Volatile.Write(ref _appliedGtids, value);
    }

    private Gtid.GtidPosition? _appliedGtids;

    /// <summary>What the monitor last read of a MySQL server's <c>@@gtid_executed</c>; null until read (and on MariaDB).</summary>
    public Gtid.MySqlGtidSet? AppliedMySqlGtids
    {
        get => Volatile.Read(ref _appliedMySqlGtids);
        set => Volatile.Write(ref _appliedMySqlGtids, value);
    }

    private Gtid.MySqlGtidSet? _appliedMySqlGtids;

    /// <summary>The text of the last applied position read, of either flavor (stats_mysql_gtid_executed).</summary>
    public string? AppliedGtidsText => AppliedGtids?.Text ?? AppliedMySqlGtids?.Text;

    /// <summary>How many times the monitor found a new applied position (the <c>events</c> of stats_mysql_gtid_executed).</summary>
    public long GtidPositionChanges => Interlocked.Read(ref _gtidPositionChanges);

    private long _gtidPositionChanges;

    /// <summary>Reads sent here because this server had the session's writes (stats_mysql_connection_pool.Queries_GTID_sync).</summary>
    public long GtidSyncedQueries => Interlocked.Read(ref _gtidSyncedQueries);

    private long _gtidSyncedQueries;

    public void OnGtidSyncedQuery() => Interlocked.Increment(ref _gtidSyncedQueries);

    /// <summary>Takes the monitor's reading; a new value object only when the text changed.</summary>
    /// <remarks>A MariaDB GTID list and a MySQL GTID set never parse as each other, so the text tells which it is.</remarks>
    public void OnGtidPositionRead(string text)
    {
        if (string.Equals(AppliedGtidsText, text, StringComparison.Ordinal))
            return;
        if (Gtid.GtidPosition.TryParse(text) is { } parsed)
        {
            AppliedGtids = parsed;
        }
        else if (Gtid.MySqlGtidSet.TryParse(text) is { } set)
        {
            AppliedMySqlGtids = set;
        }
        else
        {
            return;
        }
        Interlocked.Increment(ref _gtidPositionChanges);
    }

    public override string ToString() => $"{Hostname}:{Port}";
}
