namespace ProxyLayer.Backends;

/// <summary>
/// ProxySQL's <c>MyHGM_myconnpoll_*</c> counters of the connection pool, kept lock-free (one interlocked add each):
/// <c>get</c> = a session asked for a backend connection, <c>get_ok</c> = it got one (pooled, after a change of user,
/// or newly opened), <c>push</c> = a session gave one back, <c>destroy</c> = the pool closed one instead of keeping it
/// (broken, inside a transaction, stale, not reusable, or no room), <c>reset</c> = one was reset for its next user
/// (COM_RESET_CONNECTION or COM_CHANGE_USER).
/// </summary>
internal sealed class ConnectionPoolCounters
{
    private long _get;
    private long _getOk;
    private long _push;
    private long _destroy;
    private long _reset;

    public long Get => Interlocked.Read(ref _get);
    public long GetOk => Interlocked.Read(ref _getOk);
    public long Push => Interlocked.Read(ref _push);
    public long Destroy => Interlocked.Read(ref _destroy);
    public long Reset => Interlocked.Read(ref _reset);

    public void OnGet() => Interlocked.Increment(ref _get);
    public void OnGetOk() => Interlocked.Increment(ref _getOk);
    public void OnPush() => Interlocked.Increment(ref _push);
    public void OnDestroy() => Interlocked.Increment(ref _destroy);
    public void OnReset() => Interlocked.Increment(ref _reset);

    /// <summary>The <c>stats_mysql_global</c> rows, with ProxySQL's names.</summary>
    public IEnumerable<(string Name, long Value)> GlobalRows()
    {
        yield return ("MyHGM_myconnpoll_get", Get);
        yield return ("MyHGM_myconnpoll_get_ok", GetOk);
        yield return ("MyHGM_myconnpoll_push", Push);
        yield return ("MyHGM_myconnpoll_destroy", Destroy);
        yield return ("MyHGM_myconnpoll_reset", Reset);
    }
}
