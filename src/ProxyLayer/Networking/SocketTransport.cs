using System.IO.Pipelines;
using System.Net.Sockets;

namespace ProxyLayer.Networking;

/// <summary>
/// A connected socket as a pair of pipes. Reads happen only when the owner asks for data and writes complete only
/// when the socket took them, so a slow peer on either side slows its partner instead of filling memory.
/// </summary>
internal sealed class SocketTransport : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    /// <param name="zeroByteReads">
    /// Wait for data with a zero-byte read before renting a read buffer: an idle connection then holds no buffer, at
    /// the cost of one more receive call per read. Right for client connections (many, mostly idle); backend
    /// connections are few and busy, so they read directly.
    /// </param>
    public SocketTransport(Socket socket, bool zeroByteReads = true)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: zeroByteReads));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public PipeReader Input { get; }
    public PipeWriter Output { get; }
    public System.Net.EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;
    public System.Net.EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>
    /// True if an idle connection can no longer be used: the peer closed it (a killed server's kernel sends FIN/RST)
    /// or sent something unasked. Costs one poll syscall; used before reusing a pooled connection.
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

    /// <summary>Closes the socket at once (RST-free shutdown attempted); pending reads and writes fail.</summary>
    public void Abort()
    {
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
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
            await Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        Abort();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
