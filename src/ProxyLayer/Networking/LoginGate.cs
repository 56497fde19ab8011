using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Networking;

/// <summary>
/// Admission to one interface's login: refuses a connection when the interface or its client address already has
/// too many connections in login (<see cref="LoginLimits"/>) or when the address is blocked by the client host cache,
/// and bounds every admitted login with a deadline (<see cref="LoginTicket"/>). Refusals and timeouts are counted
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
    private readonly BurstLog _refusedLog;
    private readonly BurstLog _timeoutLog;
    private readonly BurstLog _blockedLog;
    private readonly BurstLog _badHandshakeLog;
    private int _inLogin;

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
    /// (ProxySQL's way).
    /// </summary>
    public LoginTicket? TryAdmit(Socket socket)
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
        string? refusal = null;
        lock (_gate)
        {
            _perAddress.TryGetValue(address, out var fromAddress);
            if (_inLogin >= limits.PerInterface)
            {
                Counters.OnRefusedInterfaceLimit();
                refusal = $"Too many connections in login on this interface (limit {limits.PerInterface})";
            }
            else if (fromAddress >= limits.PerAddress)
            {
                Counters.OnRefusedAddressLimit();
                refusal = $"Too many connections in login from {address} (limit {limits.PerAddress})";
            }
            else
            {
                _inLogin++;
                _perAddress[address] = fromAddress + 1;
            }
        }
        if (refusal is not null)
        {
            _refusedLog.Record(refusal);
            Close(socket, new MySqlError(ErrorCodes.ConnectionCountError, "08004", refusal));
            return null;
        }
        Counters.OnEntered();
        return new LoginTicket(this, socket, address, _timeout(), _time);
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
        }
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
