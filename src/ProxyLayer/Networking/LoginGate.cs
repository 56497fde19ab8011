using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Networking;

/// <summary>
/// Admission to one interface's login: a connection waits for a slot when the interface or its client address already
/// has too many connections in login (<see cref="LoginLimits"/>), and is refused when too many wait already, when its
/// wait outlasts the login timeout, or when the address is blocked by the client host cache; every admitted login is
/// bounded by a deadline (<see cref="LoginTicket"/>). Refusals and timeouts are counted
/// (<see cref="Counters"/>) and logged once per burst.
/// </summary>
internal sealed partial class LoginGate
{
    private readonly string _name;
    private readonly Func<TimeSpan> _timeout;
    private readonly ClientHostErrorCache? _hostCache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    /// <summary>Connections over a cap, in arrival order; a slot that frees goes to the first one it fits.</summary>
    private readonly LinkedList<Waiter> _waiting = new();
    private readonly BurstLog _refusedLog;
    private readonly BurstLog _timeoutLog;
    private readonly BurstLog _blockedLog;
    private readonly BurstLog _badHandshakeLog;
    private int _inLogin;

    /// <summary>Connections waiting for a slot now.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
                return _waiting.Count;
        }
    }

    /// <param name="name">The interface, for logs ("mysql", "admin").</param>
    /// <param name="timeout">The login deadline, read at each connect (<c>mysql-connect_timeout_client</c>).</param>
    /// <param name="hostCache">The client host cache, on the MySQL interface only (as in ProxySQL).</param>
    public LoginGate(string name, string statsPrefix, Func<TimeSpan> timeout, ClientHostErrorCache? hostCache, LoginLimits limits,
        TimeProvider time, ILogger logger)
    {
        _name = name;
        _timeout = timeout;
        _hostCache = hostCache;
        _time = time;
        _logger = logger;
        Limits = limits;
        Counters = new LoginCounters(statsPrefix);
        _refusedLog = new BurstLog(time, (m, n) => LogRefused(_name, m, BurstLog.More(n)));
        _timeoutLog = new BurstLog(time, (m, n) => LogTimedOut(_name, m, BurstLog.More(n)));
        _blockedLog = new BurstLog(time, (m, n) => LogHostBlocked(_name, m, BurstLog.More(n)));
        _badHandshakeLog = new BurstLog(time, (m, n) => LogBadHandshake(_name, m, BurstLog.More(n)));
    }

    public LoginLimits Limits { get; set; }
    public LoginCounters Counters { get; }

    public IEnumerable<(string Name, long Value)> GlobalCounters() => Counters.Rows(withHostCache: _hostCache is not null);

    /// <summary>
    /// A ticket for the login of <paramref name="socket"/>, or null if it was refused: then the socket is closed here,
    /// after a "Too many connections" error for a cap (clients show it) or with no answer for a blocked host
    /// (ProxySQL's way). Over a cap, it first waits for a slot, for at most the login timeout.
    /// </summary>
    public async ValueTask<LoginTicket?> AdmitAsync(Socket socket, CancellationToken stopping)
    {
        var address = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (_hostCache?.Blocks(address) is { } limit)
        {
            Counters.OnHostBlocked();
            _blockedLog.Record($"closing connection because client '{address}' reached 'mysql-client_host_error_counts': {limit}");
            Close(socket, null);
            return null;
        }
        var limits = Limits;
        Waiter? waiter = null;
        LinkedListNode<Waiter>? place = null;
        LoginCap? cap;
        lock (_gate)
        {
            cap = CapReached(address, limits);
            if (cap is null)
                Enter(address);
            else if (_waiting.Count < limits.Waiting)
                place = _waiting.AddLast(waiter = new Waiter(address));
        }
        string? refusal = cap is { } reached ? Refusal(reached, address, limits) : null;
        if (waiter is not null)
            refusal = await WaitForSlotAsync(waiter, place!, stopping).ConfigureAwait(false) ? null
                : $"{refusal}; waited {_timeout().TotalMilliseconds:0} ms (mysql-connect_timeout_client) for a slot";
        if (refusal is not null)
        {
            if (cap == LoginCap.Interface)
                Counters.OnRefusedInterfaceLimit();
            else
                Counters.OnRefusedAddressLimit();
            _refusedLog.Record(refusal);
            Close(socket, new MySqlError(ErrorCodes.ConnectionCountError, "08004", refusal));
            return null;
        }
        Counters.OnEntered();
        return new LoginTicket(this, socket, address, _timeout(), _time);
    }

    private enum LoginCap
    {
        Interface,
        Address,
    }

    /// <summary>The cap that keeps <paramref name="address"/> from entering now, or null if it can. Under the lock.</summary>
    private LoginCap? CapReached(IPAddress address, LoginLimits limits) =>
        _inLogin >= limits.PerInterface ? LoginCap.Interface
        : _perAddress.GetValueOrDefault(address) >= limits.PerAddress ? LoginCap.Address
        : null;

    private static string Refusal(LoginCap cap, IPAddress address, LoginLimits limits) => cap == LoginCap.Interface
        ? $"Too many connections in login on this interface (limit {limits.PerInterface})"
        : $"Too many connections in login from {address} (limit {limits.PerAddress})";

    private void Enter(IPAddress address)
    {
        _inLogin++;
        _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
    }

    /// <summary>True once admitted (the slot is already taken for it), false when the wait ran out.</summary>
    private async ValueTask<bool> WaitForSlotAsync(Waiter waiter, LinkedListNode<Waiter> place, CancellationToken stopping)
    {
        try
        {
            await waiter.Admitted.Task.WaitAsync(_timeout(), _time, stopping).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                // Admitted just as the wait ran out: the slot is taken, so use it.
                if (waiter.Admitted.Task.IsCompleted)
                    return true;
                _waiting.Remove(place);
            }
            return false;
        }
    }

    /// <summary>Gives freed slots to waiting connections, first come first served among those that fit. Under the lock.</summary>
    private void AdmitWaiting()
    {
        var limits = Limits;
        for (var node = _waiting.First; node is not null && _inLogin < limits.PerInterface;)
        {
            var next = node.Next;
            if (CapReached(node.Value.Address, limits) is null)
            {
                _waiting.Remove(node);
                Enter(node.Value.Address);
                node.Value.Admitted.TrySetResult();
            }
            node = next;
        }
    }

    internal void OnSucceeded(LoginTicket ticket)
    {
        _hostCache?.RecordSuccess(ticket.Address);
        OnLeft(ticket);
    }

    internal void OnFailed(LoginTicket ticket, int errorCode)
    {
        if (errorCode == ErrorCodes.HandshakeError)
        {
            Counters.OnBadHandshake();
            _badHandshakeLog.Record($"bad handshake from {ticket.Address}");
        }
        _hostCache?.RecordFailure(ticket.Address);
        OnLeft(ticket);
    }

    internal void OnTimedOut(LoginTicket ticket)
    {
        Counters.OnTimedOut();
        _timeoutLog.Record($"login from {ticket.Address} not finished within {_timeout().TotalMilliseconds:0} ms (mysql-connect_timeout_client): closed");
        _hostCache?.RecordFailure(ticket.Address);
        OnLeft(ticket);
    }

    internal void OnLeft(LoginTicket ticket)
    {
        Counters.OnLeft();
        lock (_gate)
        {
            _inLogin--;
            if (_perAddress.TryGetValue(ticket.Address, out var count) && count > 1)
                _perAddress[ticket.Address] = count - 1;
            else
                _perAddress.Remove(ticket.Address);
            if (_waiting.Count > 0)
                AdmitWaiting();
        }
    }

    /// <summary>A connection waiting for a login slot; completed (under the lock) once its slot is taken for it.</summary>
    private sealed class Waiter(IPAddress address)
    {
        public IPAddress Address { get; } = address;
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Closes a refused socket, with <paramref name="error"/> as its only packet if given (a few bytes: the send never waits).</summary>
    private static void Close(Socket socket, MySqlError? error)
    {
        try
        {
            if (error is not null)
            {
                using var payload = new PayloadWriter(128);
                ErrorPacket.Write(payload, error);
                var packet = new System.Buffers.ArrayBufferWriter<byte>(payload.Length + PacketHeader.Size);
                PacketFramer.WritePackets(packet, payload.Payload, 0);
                socket.Send(packet.WrittenSpan, SocketFlags.None);
            }
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: connection refused: {Reason}{More}")]
    private partial void LogRefused(string name, string reason, string more);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: {Reason}{More}")]
    private partial void LogTimedOut(string name, string reason, string more);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name}: {Reason}{More}")]
    private partial void LogHostBlocked(string name, string reason, string more);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: {Reason}{More}")]
    private partial void LogBadHandshake(string name, string reason, string more);
}
