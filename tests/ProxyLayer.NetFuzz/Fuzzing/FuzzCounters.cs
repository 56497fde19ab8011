namespace ProxyLayer.NetFuzz.Fuzzing;

/// <summary>What a fuzz run did, updated by every worker at once.</summary>
internal sealed class FuzzCounters
{
    private long _connections;
    private long _packets;
    private long _bytes;
    private long _errorsReceived;
    private long _loginsOk;
    private long _connectFailures;

    public long Connections => Interlocked.Read(ref _connections);
    /// <summary>Packets (or raw chunks, for random bytes) written.</summary>
    public long Packets => Interlocked.Read(ref _packets);
    public long Bytes => Interlocked.Read(ref _bytes);
    /// <summary>ERR packets the proxy answered with.</summary>
    public long ErrorsReceived => Interlocked.Read(ref _errorsReceived);
    public long LoginsOk => Interlocked.Read(ref _loginsOk);
    /// <summary>Connects refused or timed out: the proxy was not accepting.</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public void OnConnection() => Interlocked.Increment(ref _connections);
    public void OnPackets(long count, long bytes)
    {
        Interlocked.Add(ref _packets, count);
        Interlocked.Add(ref _bytes, bytes);
    }
    public void OnErrorReceived() => Interlocked.Increment(ref _errorsReceived);
    public void OnLoginOk() => Interlocked.Increment(ref _loginsOk);
    public void OnConnectFailure() => Interlocked.Increment(ref _connectFailures);

    public override string ToString() =>
        $"{Connections} connections, {Packets} packets ({Bytes / 1024} KB) sent, {ErrorsReceived} ERR answers, {LoginsOk} logins, {ConnectFailures} failed connects";
}
