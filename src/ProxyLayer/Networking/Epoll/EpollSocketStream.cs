using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProxyLayer.Protocol.Async;
using static ProxyLayer.Networking.Epoll.EpollInterop;

namespace ProxyLayer.Networking.Epoll;

/// <summary>
/// A connected, non-blocking TCP socket watched by an <see cref="EpollLoop"/>, as a <see cref="Stream"/> for the pipes
/// and TLS above it. Reads and writes are tried directly; only when the kernel has nothing (EAGAIN, or a read shorter
/// than its buffer, which with edge-triggered epoll also means drained) does the caller wait for the next event, and
/// its continuation then runs on the loop's thread. A zero-byte read waits for data without a buffer and without a
/// system call. One reader and one writer at a time, as with any stream.
/// </summary>
internal sealed class EpollSocketStream : Stream
{
    private static int s_registrations;
    private readonly Socket _socket;
    private readonly SafeSocketHandle _handle;
    private readonly int _fd;
    private readonly EpollLoop _loop;
    private readonly int _slot;
    // Unknown at first: the first read tries the socket.
    private readonly EpollDirection _read = new(drainedAt: -1);
    private readonly EpollDirection _write = new(drainedAt: 0);
    private int _closed;
    // The peer's FIN, a reset or an error was reported. Sticky: a read shorter than its buffer may leave the end of the
    // stream behind it, and no further event would announce it, so from then on reads always ask the kernel.
    private int _hangUp;

    private EpollSocketStream(Socket socket, EpollLoop loop)
    {
        _socket = socket;
        _handle = socket.SafeHandle;
        _fd = (int)_handle.DangerousGetHandle();
        var flags = fcntl(_fd, F_GETFL, 0);
        if (flags < 0 || fcntl(_fd, F_SETFL, flags | O_NONBLOCK) < 0)
            throw new IOException($"fcntl(O_NONBLOCK) failed: errno {Marshal.GetLastPInvokeError()}");
        Registration = Interlocked.Increment(ref s_registrations);
        _loop = loop;
        _slot = loop.Add(_fd, this);
    }

    /// <summary>Takes over a connected socket (one accepted by a listener): from now on only this stream reads and writes it.</summary>
    /// <summary>The loop whose thread runs this socket's continuations.</summary>
    public EpollLoop Loop => _loop;

    public static EpollSocketStream Attach(Socket socket, EpollLoop loop) => new(socket, loop);

    /// <summary>
    /// Connects <paramref name="socket"/> to the first of <paramref name="addresses"/> that accepts, without .NET's
    /// socket engine (which would watch the socket too, and wake for every event of it).
    /// </summary>
    public static async ValueTask<EpollSocketStream> ConnectAsync(Socket socket, IPAddress[] addresses, int port, EpollLoop loop,
        CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var pending = false;
            try
            {
                socket.Connect(new IPEndPoint(address, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                pending = true;
            }
            catch (SocketException ex)
            {
                last = ex;
                continue;
            }
            // Registered after connect(): a socket still connecting reports no readiness, so the first event is the outcome.
            var stream = new EpollSocketStream(socket, loop);
            try
            {
                if (pending)
                    await stream._write.WaitAsync(cancellationToken).ConfigureAwait(false);
                var error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error == 0)
                    return stream;
                last = new SocketException(error);
            }
            catch
            {
                stream.CloseSocket();
                throw;
            }
            // A socket whose connect failed cannot try again: the caller makes a new one.
            stream.CloseSocket();
            throw last;
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    public int Registration { get; }

    /// <summary>
    /// True if the loop has reported nothing for this socket since the last read drained it: no data, no FIN, no error.
    /// Free (no system call), but only as current as the loop's last <c>epoll_wait</c>: an event still waiting in the
    /// kernel is not seen.
    /// </summary>
    public bool QuietSinceDrained => Volatile.Read(ref _hangUp) == 0 && Volatile.Read(ref _closed) == 0 && !_read.MaybeReady;

    /// <summary>Called on the loop's thread with the events of this socket.</summary>
    public void OnEvents(uint events)
    {
        if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0)
            Volatile.Write(ref _hangUp, 1);
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0)
            _read.Signal();
        if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0)
            _write.Signal();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        TryRead(buffer.Span, out var read) ? new ValueTask<int>(read) : ReadWhenReadyAsync(buffer, cancellationToken);

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<int> ReadWhenReadyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _read.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (TryRead(buffer.Span, out var read))
                return read;
        }
    }

    /// <summary>False when there is nothing to read yet. A closed stream reads as the end of the data.</summary>
    private bool TryRead(Span<byte> buffer, out int read)
    {
        while (true)
        {
            read = 0;
            if (Volatile.Read(ref _closed) != 0)
                return true;
            var observed = _read.Events;
            if (observed == _read.DrainedAt && Volatile.Read(ref _hangUp) == 0)
                return false;
            if (buffer.IsEmpty)
                return true; // data may be there; the read that follows finds out
            var n = Receive(buffer, out var errno);
            if (n > 0)
            {
                if (n < buffer.Length)
                    _read.DrainedAt = observed;
                read = n;
                return true;
            }
            if (n == 0)
                return true;
            if (errno == EAGAIN)
            {
                _read.DrainedAt = observed;
                return false;
            }
            if (errno != EINTR)
                throw new IOException($"receive failed: {new SocketException(errno).Message}", new SocketException(errno));
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var sent = TryWrite(buffer.Span);
        return sent == buffer.Length ? default : WriteWhenReadyAsync(buffer[sent..], cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private async ValueTask WriteWhenReadyAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
            buffer = buffer[TryWrite(buffer.Span)..];
        }
    }

    /// <summary>Sends what the kernel takes now; returns how many bytes that was.</summary>
    private int TryWrite(ReadOnlySpan<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            if (Volatile.Read(ref _closed) != 0)
                throw new IOException("the connection was closed");
            var observed = _write.Events;
            var n = Send(buffer[total..], out var errno);
            if (n > 0)
            {
                total += n;
                continue;
            }
            if (errno == EAGAIN)
            {
                _write.DrainedAt = observed;
                return total;
            }
            if (errno != EINTR)
                throw new IOException($"send failed: {new SocketException(errno).Message}", new SocketException(errno));
        }
        return total;
    }

    private unsafe int Receive(Span<byte> buffer, out int errno)
    {
        var added = false;
        try
        {
            // Holds the descriptor open: a close on another thread cannot hand its number to a new socket meanwhile.
            _handle.DangerousAddRef(ref added);
            fixed (byte* p = buffer)
            {
                var n = (int)recv(_fd, p, (nuint)buffer.Length, 0);
                errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                return n;
            }
        }
        catch (ObjectDisposedException)
        {
            errno = 0;
            return 0;
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    private unsafe int Send(ReadOnlySpan<byte> buffer, out int errno)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* p = buffer)
            {
                var n = (int)send(_fd, p, (nuint)buffer.Length, MSG_NOSIGNAL);
                errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                return n;
            }
        }
        catch (ObjectDisposedException)
        {
            throw new IOException("the connection was closed");
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    /// <summary>Shuts the connection down and closes it; a waiting read ends as end-of-data, a waiting write fails.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        CloseSocket();
    }

    private void CloseSocket()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        _loop.Remove(_slot);
        _socket.Close();
        // Woken off this thread: whoever closes (a timer, the admin interface) must not run the waiter's session code.
        ThreadPool.UnsafeQueueUserWorkItem(static d => d.Signal(), _read, preferLocal: false);
        ThreadPool.UnsafeQueueUserWorkItem(static d => d.Signal(), _write, preferLocal: false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            CloseSocket();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Blocking calls would stall every socket of a loop thread; nothing in the proxy makes them.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the epoll transport is asynchronous only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the epoll transport is asynchronous only");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
