namespace ProxyLayer.Networking;

/// <summary>What one interface's login bounds refused or cut short, for <c>stats_mysql_global</c>.</summary>
internal sealed class LoginCounters(string prefix)
{
    private long _inLogin;
    private long _timedOut;
    private long _refusedInterfaceLimit;
    private long _refusedAddressLimit;
    private long _badHandshake;
    private long _hostBlocked;

    public long InLogin => Interlocked.Read(ref _inLogin);
    public long TimedOut => Interlocked.Read(ref _timedOut);
    public long RefusedInterfaceLimit => Interlocked.Read(ref _refusedInterfaceLimit);
    public long RefusedAddressLimit => Interlocked.Read(ref _refusedAddressLimit);
    public long BadHandshake => Interlocked.Read(ref _badHandshake);
    public long HostBlocked => Interlocked.Read(ref _hostBlocked);

    public void OnEntered() => Interlocked.Increment(ref _inLogin);
    public void OnLeft() => Interlocked.Decrement(ref _inLogin);
    public void OnTimedOut() => Interlocked.Increment(ref _timedOut);
    public void OnRefusedInterfaceLimit() => Interlocked.Increment(ref _refusedInterfaceLimit);
    public void OnRefusedAddressLimit() => Interlocked.Increment(ref _refusedAddressLimit);
    public void OnBadHandshake() => Interlocked.Increment(ref _badHandshake);
    public void OnHostBlocked() => Interlocked.Increment(ref _hostBlocked);

    /// <summary>
    /// Rows named after the interface (<c>Client_Connections_…</c>, <c>Admin_Connections_…</c>); ProxyLayer's own,
    /// except ProxySQL's <c>client_host_error_killed_connections</c> on the MySQL interface.
    /// </summary>
    public IEnumerable<(string Name, long Value)> Rows(bool withHostCache)
    {
        yield return (prefix + "in_login", InLogin);
        yield return (prefix + "login_timeout", TimedOut);
        yield return (prefix + "login_refused_interface_limit", RefusedInterfaceLimit);
        yield return (prefix + "login_refused_address_limit", RefusedAddressLimit);
        yield return (prefix + "bad_handshake", BadHandshake);
        if (withHostCache)
            yield return ("client_host_error_killed_connections", HostBlocked);
    }
}
