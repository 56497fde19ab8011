using System.Runtime.CompilerServices;
using System.IO.Pipelines;
using ProxyLayer.Protocol.Async;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// Whole-payload reads and packet writes over a duplex pipe, for the parts of a conversation that are read in full
/// (handshakes, commands, small replies). Result sets are relayed without it, straight from <see cref="Input"/>.
/// A payload returned by <see cref="ReadPayloadAsync"/> is valid until the next call to it.
/// </summary>
public sealed class PacketChannel : IDisposable
{
    private readonly PayloadWriter _incoming = new(1024);
    private readonly PayloadWriter _outgoing = new(1024);

    public PacketChannel(PipeReader input, PipeWriter output, long maxPayloadLength = 1L << 30)
    {
        Input = input;
        Output = output;
        MaxPayloadLength = maxPayloadLength;
    }

    public PipeReader Input { get; private set; }
    public PipeWriter Output { get; private set; }
    public long MaxPayloadLength { get; set; }

    /// <summary>The sequence id of the last packet read; replies continue from it + 1.</summary>
    public byte LastSequenceId { get; private set; }

    /// <summary>
    /// The sequence id of the first packet of the last payload read: 0 for a new command, else the peer is out of order.
    /// (It differs from <see cref="LastSequenceId"/> only for a payload split over packets of 16 MB.)
    /// </summary>
    public byte FirstSequenceId { get; private set; }

    /// <summary>The next packet written gets this sequence id.</summary>
    public byte NextSequenceId { get; set; }

    /// <summary>
    /// Continues over new pipes after the connection beneath changed (TLS started, compression switched on). Only
    /// between exchanges: nothing may be buffered in the old pipes.
    /// </summary>
    public void SwitchPipes(PipeReader input, PipeWriter output)
    {
        Input = input;
        Output = output;
    }

    /// <summary>The next payload written starts a new command: sequence ids restart at 0, and so do compressed frames'.</summary>
    public void StartCommand()
    {
        NextSequenceId = 0;
        (Output as CompressedPipeWriter)?.StartCommand();
    }

    /// <summary>
    /// The server side's counterpart of <see cref="StartCommand"/>: the next payload read is a new command from the
    /// peer, numbered from 0. Only a compressed link needs telling (its packets are renumbered as they are read).
    /// </summary>
    public void ExpectCommand() => (Output as CompressedPipeWriter)?.ExpectCommand();

    /// <summary>Reads one whole payload; returns an empty result when the peer closed the connection cleanly between packets.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))] // suspends on every client read: no box per statement
    public async ValueTask<ReadPayloadResult> ReadPayloadAsync(CancellationToken cancellationToken = default)
    {
        _incoming.Clear();
        while (true)
        {
            var result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool complete;
            try
            {
                complete = PacketFramer.TryReadPayload(ref buffer, _incoming, MaxPayloadLength, out var sequenceId);
                if (complete)
                {
                    FirstSequenceId = PacketHeader.SequenceIdAt(result.Buffer);
                    LastSequenceId = sequenceId;
                    NextSequenceId = (byte)(sequenceId + 1);
                }
            }
            catch
            {
                Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }

            if (complete)
            {
                Input.AdvanceTo(buffer.Start);
                return new ReadPayloadResult(_incoming.PayloadMemory, false);
            }

            _incoming.Clear();
            Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                if (!result.Buffer.IsEmpty)
                    throw new ProtocolException("connection closed in the middle of a packet");
                return new ReadPayloadResult(ReadOnlyMemory<byte>.Empty, true);
            }
        }
    }

    /// <summary>Buffers one payload as packets with the next sequence ids; call <see cref="FlushAsync"/> to send.</summary>
    public void WritePayload(ReadOnlySpan<byte> payload) =>
        NextSequenceId = PacketFramer.WritePackets(Output, payload, NextSequenceId);

    /// <summary>Builds a payload with <paramref name="build"/> and buffers it as packets.</summary>
    public void WritePayload<TState>(TState state, Action<PayloadWriter, TState> build)
    {
        _outgoing.Clear();
        build(_outgoing, state);
        WritePayload(_outgoing.Payload);
    }

    /// <summary>A writer for building one outgoing payload; pass it to <see cref="WritePayload(ReadOnlySpan{byte})"/> via its Payload.</summary>
    public PayloadWriter RentOutgoing()
    {
        _outgoing.Clear();
        return _outgoing;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
            throw new IOException("the peer closed the connection");
    }

    public void Dispose()
    {
        _incoming.Dispose();
        _outgoing.Dispose();
    }
}

/// <summary>One payload read by <see cref="PacketChannel.ReadPayloadAsync"/>.</summary>
public readonly record struct ReadPayloadResult(ReadOnlyMemory<byte> Payload, bool IsClosed);
