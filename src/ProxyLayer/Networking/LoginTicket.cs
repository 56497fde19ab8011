using System.Net;
using System.Net.Sockets;

namespace ProxyLayer.Networking;

/// <summary>
/// One connection's place in its interface's login: it holds a slot of the caps and a deadline. When the deadline
/// passes first, the socket is closed (whatever the session is waiting on then fails: a read, a TLS handshake). The
/// session ends it with <see cref="Succeeded"/> or <see cref="Failed"/>; a disposed ticket just frees its slot (the
/// peer left without an answer).
/// </summary>
internal sealed class LoginTicket : IDisposable
{
    private const int Pending = 0;
    private const int Ended = 1;

    private readonly LoginGate _gate;
    private readonly Socket _socket;
    private readonly ITimer _deadline;
    private int _state;
    private Action? _abort;

    internal LoginTicket(LoginGate gate, Socket socket, IPAddress address, TimeSpan timeout, TimeProvider time)
    {
        _gate = gate;
        _socket = socket;
        Address = address;
        _deadline = time.CreateTimer(static s => ((LoginTicket)s!).Expire(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    public IPAddress Address { get; }

    /// <summary>The login's OK was sent: the address's failures are forgotten.</summary>
    public void Succeeded()
    {
        if (End())
            _gate.OnSucceeded(this);
    }

    /// <summary>The login was answered with an error (<paramref name="errorCode"/>): a failure of the address.</summary>
    public void Failed(int errorCode)
    {
        if (End())
            _gate.OnFailed(this, errorCode);
    }

    public void Dispose()
    {
        if (End())
            _gate.OnLeft(this);
    }

    /// <summary>
    /// What the deadline does instead of closing the socket itself: the transport that owns the socket aborts it (a
    /// socket closed behind the epoll engine's back would leave its waiting read without the event that ends it).
    /// </summary>
    public void OnExpired(Action abort) => _abort = abort;

    private void Expire()
    {
        if (!End())
            return;
        _gate.OnTimedOut(this);
        if (Volatile.Read(ref _abort) is { } abort)
        {
            abort();
            return;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        _socket.Close();
    }

    private bool End()
    {
        if (Interlocked.Exchange(ref _state, Ended) != Pending)
            return false;
        _deadline.Dispose();
        return true;
    }
}
