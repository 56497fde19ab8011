using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace ProxyLayer.Networking;

/// <summary>Which side of a <see cref="PipeRelay"/> stopped first.</summary>
internal enum PipeRelayEnd
{
    ClientClosed,
    ServerClosed,
    Stopped,
}

/// <summary>
/// Copies bytes both ways between a client and a server connection, as they arrive and without looking at them, until
/// either side closes; then the other direction is stopped too. Each read's bytes are copied once, into the other
/// side's pooled pipe buffer, and flushed: no allocation per read, and a slow reader on either side pauses its
/// partner through the pipes' backpressure.
/// </summary>
internal static class PipeRelay
{
    public static async Task<PipeRelayEnd> RunAsync(PipeReader clientInput, PipeWriter clientOutput, PipeReader serverInput,
        PipeWriter serverOutput, Action<long> onSentToServer, Action<long> onSentToClient, CancellationToken cancellationToken)
    {
        var upstream = CopyAsync(clientInput, serverOutput, onSentToServer, cancellationToken);
        var downstream = CopyAsync(serverInput, clientOutput, onSentToClient, cancellationToken);
        var first = await Task.WhenAny(upstream, downstream).ConfigureAwait(false);
        // Wake the other direction: it may be waiting for bytes that will never come, or on a peer that stopped reading.
        if (first == upstream)
        {
            serverInput.CancelPendingRead();
            clientOutput.CancelPendingFlush();
        }
        else
        {
            clientInput.CancelPendingRead();
            serverOutput.CancelPendingFlush();
        }
        await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
            return PipeRelayEnd.Stopped;
        return first == upstream ? PipeRelayEnd.ClientClosed : PipeRelayEnd.ServerClosed;
    }

    /// <summary>Copies until the source ends, fails or is cancelled, or the destination stops taking bytes. Never throws.</summary>
    private static async Task CopyAsync(PipeReader from, PipeWriter to, Action<long> onCopied, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await from.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled)
                    return;
                var buffer = result.Buffer;
                var length = buffer.Length;
                foreach (var segment in buffer)
                    to.Write(segment.Span);
                from.AdvanceTo(buffer.End);
                if (length > 0)
                {
                    onCopied(length);
                    var flush = await to.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                        return;
                }
                if (result.IsCompleted)
                    return;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // A reset or closed socket on either side ends this direction, like a clean close.
        }
    }
}
