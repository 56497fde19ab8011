using System.Collections.Concurrent;
using ProxyLayer.Monitor;

namespace ProxyLayer.Tests.Monitor;

/// <summary>
/// A probe scripted per server. Answers synchronously unless told to hang; a hung call ignores cancellation, like a
/// SIGSTOPped server, so only the scheduler's own timeout can end it.
/// </summary>
internal sealed class FakeProbe : IServerProbe
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ServerAddress, ProbeFailure?> _pingFailures = new();
    private readonly ConcurrentDictionary<ServerAddress, bool> _hung = new();
    private readonly ConcurrentDictionary<ServerAddress, ReadOnlyResult> _readOnly = new();
    private readonly ConcurrentDictionary<ServerAddress, LagResult> _lag = new();

    public FakeProbe(TimeProvider time) => _time = time;

    public ConcurrentQueue<(CheckKind Kind, ServerAddress Server, DateTimeOffset At)> Calls { get; } = new();

    public static ServerAddress Server(string host) => new(host, 3306);

    public void Hang(string host, bool hung = true) => _hung[Server(host)] = hung;
    public void FailPing(string host, ProbeFailureKind kind = ProbeFailureKind.Connection) =>
        _pingFailures[Server(host)] = new ProbeFailure(kind, $"{kind}: can't connect to {host}");
    public void PingOk(string host) => _pingFailures[Server(host)] = null;
    public void SetReadOnly(string host, bool readOnly) => _readOnly[Server(host)] = ReadOnlyResult.Of(readOnly);
    public void FailReadOnly(string host, ProbeFailureKind kind) =>
        _readOnly[Server(host)] = ReadOnlyResult.Failed(new ProbeFailure(kind, $"{kind}: read_only failed"));
    public void SetLag(string host, LagResult lag) => _lag[Server(host)] = lag;

    public int Count(CheckKind kind, string host) => Calls.Count(c => c.Kind == kind && c.Server == Server(host));

    public IReadOnlyList<DateTimeOffset> Times(CheckKind kind, string host) =>
        [.. Calls.Where(c => c.Kind == kind && c.Server == Server(host)).Select(c => c.At)];

    public ValueTask<ProbeResult> ConnectAsync(ProbeTarget target, CancellationToken cancellationToken) =>
        Answer(CheckKind.Connect, target, () => new ProbeResult(_pingFailures.GetValueOrDefault(target.Server)));

    public ValueTask<ProbeResult> PingAsync(ProbeTarget target, CancellationToken cancellationToken) =>
        Answer(CheckKind.Ping, target, () => new ProbeResult(_pingFailures.GetValueOrDefault(target.Server)));

    public ValueTask<ReadOnlyResult> ReadOnlyAsync(ProbeTarget target, string checkType, CancellationToken cancellationToken) =>
        Answer(CheckKind.ReadOnly, target, () => _readOnly.GetValueOrDefault(target.Server, ReadOnlyResult.Of(true)));

    public ValueTask<LagResult> ReplicationLagAsync(ProbeTarget target, CancellationToken cancellationToken) =>
        Answer(CheckKind.ReplicationLag, target, () => _lag.GetValueOrDefault(target.Server, LagResult.Replica(0)));

    private ValueTask<T> Answer<T>(CheckKind kind, ProbeTarget target, Func<T> answer)
    {
        Calls.Enqueue((kind, target.Server, _time.GetUtcNow()));
        if (_hung.GetValueOrDefault(target.Server))
            return new ValueTask<T>(new TaskCompletionSource<T>().Task);
        return ValueTask.FromResult(answer());
    }
}
