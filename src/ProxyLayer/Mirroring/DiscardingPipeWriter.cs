using System.IO.Pipelines;

namespace ProxyLayer.Mirroring;

/// <summary>
/// Where a mirrored statement's answer goes: the relay follows the protocol to the end of the response, and the bytes
/// are dropped. One reusable buffer, grown to the largest span asked for.
/// </summary>
internal sealed class DiscardingPipeWriter : PipeWriter
{
    private byte[] _buffer = new byte[4096];

    /// <summary>Bytes written and dropped so far.</summary>
    public long Discarded { get; private set; }

    public override void Advance(int bytes) => Discarded += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => Buffer(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => Buffer(sizeHint).Span;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    private Memory<byte> Buffer(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
            _buffer = new byte[sizeHint];
        return _buffer;
    }
}
