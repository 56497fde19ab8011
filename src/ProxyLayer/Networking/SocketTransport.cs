using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using ProxyLayer.Networking.Epoll;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Networking;

/// <summary>
/// A connected socket as a pair of pipes. Reads happen only when the owner asks for data and writes complete only
/// when the socket took them, so a slow peer on either side slows its partner instead of filling memory.
/// A plain connection stays socket → pipes; <see cref="StartTlsAsync"/> puts TLS in between and
/// <see cref="StartCompression"/> the compressed protocol on top, each replacing <see cref="Input"/>/<see cref="Output"/>.
/// </summary>
internal sealed class SocketTransport : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private readonly Socket _socket;
    private readonly Stream _stream;
    /// <summary>The proxy's own epoll engine carries the socket (the data path); null: .NET's socket engine does.</summary>
    private readonly EpollSocketStream? _epoll;
    private readonly bool _zeroByteReads;
    private LoginTicket? _login;
    private SslStream? _tls;
    /// <summary>The connection's own pipes beneath the compressed protocol, while it is on.</summary>
    private (PipeReader Input, PipeWriter Output)? _framed;

    /// <param name="zeroByteReads">
    /// Wait for data with a zero-byte read before renting a read buffer: an idle connection then holds no buffer, at
    /// the cost of one more receive call per read. Right for client connections (many, mostly idle); backend
    /// connections are few and busy, so they read directly.
    /// </param>
    public SocketTransport(Socket socket, bool zeroByteReads = true)
        : this(socket, new NetworkStream(socket, ownsSocket: true), epoll: null, zeroByteReads)
    {
    }

    /// <param name="stream">The socket as a stream: .NET's <see cref="NetworkStream"/>, or <paramref name="epoll"/>.</param>
    private SocketTransport(Socket socket, Stream stream, EpollSocketStream? epoll, bool zeroByteReads)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _zeroByteReads = zeroByteReads;
        _stream = stream;
        _epoll = epoll;
        (Input, Output) = CreatePipes(_stream);
    }

    /// <summary>
    /// An accepted client connection of the data path: on the proxy's epoll engine where it runs
    /// (<see cref="EpollEngine"/>), else on .NET's sockets.
    /// </summary>
    public static SocketTransport ForDataPath(Socket socket, LoginTicket? login)
    {
        if (EpollEngine.Shared is not { } engine)
            return new SocketTransport(socket) { Login = login };
        var stream = EpollSocketStream.Attach(socket, engine.NextLoop());
        return new SocketTransport(socket, stream, stream, zeroByteReads: true) { Login = login };
    }

    /// <summary>A backend connection connected by the epoll engine (see <see cref="EpollSocketStream.ConnectAsync"/>).</summary>
    public static SocketTransport ForConnected(Socket socket, EpollSocketStream stream) => new(socket, stream, stream, zeroByteReads: false);

    /// <summary>
    /// The login's slot and deadline on a connection accepted by a listener (null elsewhere). The session ends it
    /// when the login is answered; disposing the transport frees it in any case. At its deadline it aborts this
    /// transport, so a read waiting on the connection ends.
    /// </summary>
    public LoginTicket? Login
    {
        get => _login;
        init
        {
            _login = value;
            value?.OnExpired(Abort);
        }
    }

    public PipeReader Input { get; private set; }
    public PipeWriter Output { get; private set; }
    public System.Net.EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;
    public System.Net.EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>The TLS session once <see cref="StartTlsAsync"/> succeeded (protocol and cipher for logs); null on a plain connection.</summary>
    public SslStream? Tls => _tls;
    public bool IsCompressed => _framed is not null;

    /// <summary>
    /// Runs the TLS handshake with <paramref name="authenticate"/> and continues over TLS with new pipes; bytes already
    /// read past the last packet (the start of a client's TLS hello) go to the handshake first.
    /// </summary>
    public async ValueTask StartTlsAsync(Func<SslStream, CancellationToken, Task> authenticate, CancellationToken cancellationToken)
    {
        byte[] early = [];
        if (Input.TryRead(out var pending))
        {
            early = pending.Buffer.ToArray();
            Input.AdvanceTo(pending.Buffer.End);
        }
        await Output.CompleteAsync().ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
        _tls = new SslStream(early.Length == 0 ? _stream : new PrefixedStream(early, _stream), leaveInnerStreamOpen: true);
        await authenticate(_tls, cancellationToken).ConfigureAwait(false);
        (Input, Output) = CreatePipes(_tls);
    }

    /// <summary>
    /// Speaks the compressed protocol from now on (after the login's OK), with ordinary packets on the new pipes. With
    /// zero-byte reads (client connections), an idle connection waits for the next frame without a read buffer.
    /// </summary>
    public void StartCompression()
    {
        EnsureNothingBuffered("compression");
        _framed = (Input, Output);
        var ids = new CompressedSequenceIds();
        var writer = new CompressedPipeWriter(Output, ids);
        Input = PipeReader.Create(new DecompressingStream(Input, ids),
            new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: false, useZeroByteReads: _zeroByteReads));
        Output = writer;
    }

    /// <summary>
    /// Leaves the compressed protocol to whoever reads and writes the connection's own pipes from now on (a relay that
    /// passes frames through as they are). Only between exchanges: nothing may be buffered above the frames.
    /// </summary>
    public void StopCompression()
    {
        if (_framed is not var (input, output))
            return;
        EnsureNothingBuffered("the compressed protocol was left");
        if (Output.CanGetUnflushedBytes && Output.UnflushedBytes > 0)
            throw new InvalidOperationException("unflushed bytes above the compressed frames");
        Input.Complete();
        Output.Complete();
        (Input, Output) = (input, output);
        _framed = null;
    }

    /// <summary>
    /// True if an idle connection can no longer be used: the peer closed it (a killed server's kernel sends FIN/RST)
    /// or sent something unasked. Costs one poll syscall; used before reusing a pooled connection. It asks the kernel
    /// even on the epoll engine: the engine's news of a FIN can lag (the event may wait in the batch of the very thread
    /// asking), and a write sent on a connection whose server is already gone would fail as "outcome unknown".
    /// </summary>
    public bool IsPeerClosedOrUnexpectedData()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>
    /// True if the epoll engine carries the socket and has reported nothing on it since its last read drained it (see
    /// <see cref="EpollSocketStream.QuietSinceDrained"/>); always false on .NET's sockets, which cannot tell.
    /// </summary>
    public bool QuietSinceLastRead => _epoll is { QuietSinceDrained: true };

    /// <summary>
    /// True if the peer closed the connection: the socket is readable with nothing to read (or failed). Data waiting to
    /// be read (a client that sent its next command early, a TLS alert) does not count: it cannot be told apart here.
    /// One poll syscall; for checks of a connection nobody is reading from.
    /// </summary>
    public bool IsPeerClosed()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Closes the socket at once (RST-free shutdown attempted); pending reads and writes fail.</summary>
    public void Abort()
    {
        if (_epoll is not null)
        {
            _epoll.Abort();
            return;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        Login?.Dispose();
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
            await Input.CompleteAsync().ConfigureAwait(false);
            if (_framed is var (input, output))
            {
                await output.CompleteAsync().ConfigureAwait(false);
                await input.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        Abort();
        if (_tls is not null)
            await _tls.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private (PipeReader, PipeWriter) CreatePipes(Stream stream) =>
        (PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: _zeroByteReads)),
         PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true)));

    private void EnsureNothingBuffered(string what)
    {
        if (!Input.TryRead(out var pending))
            return;
        Input.AdvanceTo(pending.Buffer.Start);
        if (!pending.Buffer.IsEmpty)
            throw new ProtocolException($"the peer sent {pending.Buffer.Length} unexpected bytes before {what} started");
    }
}
