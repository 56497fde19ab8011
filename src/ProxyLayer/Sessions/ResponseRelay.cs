using System.Runtime.CompilerServices;
using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Protocol.Async;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Sessions;

/// <summary>
/// Copies a backend's response to the client packet by packet, without decoding rows, while following the protocol
/// far enough to know where the response ends and what state it leaves (transaction, autocommit, schema).
/// Small packets are copied whole; packets over <see cref="StreamThreshold"/> (large rows) are streamed as they
/// arrive, so a 1 GB BLOB never sits in memory. The client is flushed after each read from the backend: a slow
/// client slows the backend reads (backpressure) instead of filling the proxy's memory.
/// </summary>
internal sealed class ResponseRelay
{
    private const int StreamThreshold = 64 * 1024;
    /// <summary>ER_OPTION_PREVENTS_STATEMENT: "running with the --read-only option".</summary>
    public const int ReadOnlyErrorCode = 1290;
    /// <summary>
    /// Rented only while a response is relayed and a small packet straddles two pipe segments, then returned: an
    /// idle session holds no relay buffer (thousands of mostly idle clients would otherwise pin 64 KB each).
    /// </summary>
    private byte[]? _scratch;
    /// <summary>Also receives the bytes sent to the client, for the query cache; null almost always.</summary>
    private ResponseCapture? _capture;

    private enum Phase { First, ColumnDefinitions, ColumnDefinitionsEof, Rows, PrepareParameters, PrepareParametersEof, PrepareColumns, PrepareColumnsEof, FieldList, Done }

    /// <param name="clientStatementId">For COM_STMT_PREPARE: the statement id the client is told instead of the server's (0 keeps the server's).</param>
    /// <param name="expectedSequenceId">
    /// The sequence id the answer's first packet must carry (the one after the command's last packet); -1 skips the
    /// check. See <see cref="RelayOutcome.OutOfSequence"/>.
    /// </param>
    /// <param name="holdBackReadOnlyError">
    /// If the whole answer is ERR 1290 (the server is read-only), keep it from the client and report it as
    /// <see cref="RelayOutcome.HeldBackReadOnly"/>: the statement did not run and may be sent to the new writer.
    /// </param>
    public ValueTask<RelayOutcome> RelayAsync(PipeReader backend, PipeWriter client, ResponseKind kind,
        CapabilityFlags capabilities, CancellationToken cancellationToken, uint clientStatementId = 0, bool holdBackReadOnlyError = false,
        ResponseCapture? capture = null, int expectedSequenceId = -1)
    {
        if (kind == ResponseKind.None)
            return ValueTask.FromResult(new RelayOutcome());
        _capture = capture;
        return RelayCoreAsync(backend, client, kind, capabilities, clientStatementId, holdBackReadOnlyError, expectedSequenceId, cancellationToken);
    }

    /// <remarks>Suspends on every backend read and client flush: its state machine comes from a pool, not the heap.</remarks>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<RelayOutcome> RelayCoreAsync(PipeReader backend, PipeWriter client, ResponseKind kind,
        CapabilityFlags capabilities, uint clientStatementId, bool holdBackReadOnlyError, int expectedSequenceId, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = new RelayOutcome();

            var state = new RelayState
            {
                Kind = kind,
                Capabilities = capabilities,
                ClientStatementId = clientStatementId,
                HoldBackReadOnlyError = holdBackReadOnlyError,
                ExpectedSequenceId = expectedSequenceId,
                Phase = kind switch
                {
                    ResponseKind.RowsOnly => Phase.Rows,
                    ResponseKind.FieldList => Phase.FieldList,
                    _ => Phase.First,
                },
            };
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await backend.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    outcome.End = RelayEnd.BackendLost;
                    return outcome;
                }
                var buffer = result.Buffer;
                var wrote = Pump(ref buffer, client, ref state, ref outcome);
                if (state.Phase == Phase.Done)
                    backend.AdvanceTo(buffer.Start);
                else
                    backend.AdvanceTo(buffer.Start, result.Buffer.End);

                if (wrote)
                {
                    FlushResult flush;
                    try
                    {
                        flush = await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
                    {
                        outcome.End = RelayEnd.ClientLost;
                        return outcome;
                    }
                    if (flush.IsCompleted)
                    {
                        outcome.End = RelayEnd.ClientLost;
                        return outcome;
                    }
                }
                if (state.Phase == Phase.Done)
                    return outcome;
                if (result.IsCompleted || result.IsCanceled)
                {
                    outcome.End = RelayEnd.BackendLost;
                    return outcome;
                }
            }
        }
        finally
        {
            _capture = null;
            if (_scratch is not null)
            {
                PooledBuffers.Return(_scratch);
                _scratch = null;
            }
        }
    }

    private struct RelayState
    {
        public ResponseKind Kind;
        public CapabilityFlags Capabilities;
        public Phase Phase;
        public ulong Remaining;
        public ushort PrepareColumns;
        /// <summary>Bytes of the current packet still to stream.</summary>
        public long StreamRemaining;
        /// <summary>The packet being streamed has the maximum length, so the next one continues it.</summary>
        public bool ContinuationFollows;
        public bool InContinuation;
        public uint ClientStatementId;
        public bool HoldBackReadOnlyError;
        /// <summary>The first packet's sequence id to check, -1 once checked (or when no check is wanted).</summary>
        public int ExpectedSequenceId;
    }

    /// <summary>Forwards every whole (or streamable) packet in <paramref name="buffer"/>; returns whether anything was written.</summary>
    private bool Pump(ref ReadOnlySequence<byte> buffer, PipeWriter client, ref RelayState state, ref RelayOutcome outcome)
    {
        var wrote = false;
        while (state.Phase != Phase.Done)
        {
            if (state.StreamRemaining > 0)
            {
                if (buffer.IsEmpty)
                    break;
                var take = Math.Min(state.StreamRemaining, buffer.Length);
                Copy(buffer.Slice(0, take), client, _capture);
                buffer = buffer.Slice(take);
                state.StreamRemaining -= take;
                outcome.BytesForwarded += take;
                wrote = true;
                if (state.StreamRemaining > 0)
                {
                    outcome.MidPacket = true;
                    break;
                }
                outcome.MidPacket = state.ContinuationFollows;
                state.InContinuation = state.ContinuationFollows;
                continue;
            }

            if (!PacketHeader.TryRead(buffer, out var length, out var sequenceId))
                break;
            if (state.ExpectedSequenceId >= 0)
            {
                if (sequenceId != state.ExpectedSequenceId)
                {
                    outcome.End = RelayEnd.BackendLost;
                    outcome.OutOfSequence = true;
                    state.Phase = Phase.Done;
                    break;
                }
                state.ExpectedSequenceId = -1;
            }

            if (state.InContinuation || length > StreamThreshold)
            {
                // Continuations and large packets are rows (or huge column values): stream them without looking inside.
                if (!state.InContinuation)
                    CountPacket(ref state, ref outcome);
                state.StreamRemaining = PacketHeader.Size + length;
                state.ContinuationFollows = length == PacketHeader.MaxPayloadLength;
                outcome.LastSequenceId = sequenceId;
                continue;
            }

            if (buffer.Length < PacketHeader.Size + length)
                break;
            var packet = buffer.Slice(0, PacketHeader.Size + length);
            var payload = Materialize(packet.Slice(PacketHeader.Size));
            var isPrepareOk = state.Kind == ResponseKind.Prepare && state.Phase == Phase.First && payload.Length >= 12 && payload[0] == OkPacket.Signature;
            var isReadOnlyError = state.HoldBackReadOnlyError && state.Phase == Phase.First && outcome.BytesForwarded == 0 &&
                ErrorPacket.IsError(payload) && ErrorPacket.Read(payload).ErrorCode == ReadOnlyErrorCode;
            Classify(payload, ref state, ref outcome);
            if (isReadOnlyError)
            {
                outcome.HeldBackReadOnly = true;
                outcome.HeldBackMessage = ErrorPacket.Read(payload).MessageText;
                buffer = buffer.Slice(packet.End);
                continue;
            }
            if (isPrepareOk && state.ClientStatementId != 0)
                WritePrepareOk(packet, payload, state.ClientStatementId, client);
            else
                Copy(packet, client, _capture);
            buffer = buffer.Slice(packet.End);
            outcome.BytesForwarded += packet.Length;
            outcome.LastSequenceId = sequenceId;
            outcome.MidPacket = length == PacketHeader.MaxPayloadLength;
            wrote = true;
            if (outcome.End == RelayEnd.LocalInfileRequested)
            {
                state.Phase = Phase.Done;
                break;
            }
        }
        return wrote;
    }

    /// <summary>Large packets are only ever rows or column definitions; count them without reading them.</summary>
    private static void CountPacket(ref RelayState state, ref RelayOutcome outcome)
    {
        switch (state.Phase)
        {
            case Phase.Rows:
                outcome.RowsSent++;
                break;
            case Phase.ColumnDefinitions:
                AfterColumnDefinition(ref state);
                break;
        }
    }

    private static void Classify(ReadOnlySpan<byte> payload, ref RelayState state, ref RelayOutcome outcome)
    {
        var first = payload.IsEmpty ? (byte)0 : payload[0];
        var caps = state.Capabilities;
        switch (state.Phase)
        {
            case Phase.First:
                if (first == ErrorPacket.Signature)
                {
                    ReadError(payload, ref outcome);
                    state.Phase = Phase.Done;
                }
                else if (first == OkPacket.Signature && state.Kind == ResponseKind.Prepare)
                {
                    StartPrepare(payload, ref state, ref outcome);
                }
                else if (state.Kind == ResponseKind.SinglePacket)
                {
                    state.Phase = Phase.Done;
                }
                else if (first == OkPacket.Signature && payload.Length >= 7)
                {
                    ReadTerminator(payload, isOk: true, ref state, ref outcome);
                }
                else if (EofPacket.IsEof(payload))
                {
                    ReadTerminator(payload, isOk: false, ref state, ref outcome);
                }
                else if (first == LocalInfileRequestPacket.Signature && state.Kind is ResponseKind.ResultSets or ResponseKind.CursorResultSets)
                {
                    outcome.End = RelayEnd.LocalInfileRequested;
                }
                else
                {
                    var reader = new PayloadReader(payload);
                    state.Remaining = reader.ReadLengthEncodedInteger();
                    outcome.HadResultSet = true;
                    state.Phase = state.Remaining == 0 ? Phase.Rows : Phase.ColumnDefinitions;
                }
                break;

            case Phase.ColumnDefinitions:
                AfterColumnDefinition(ref state);
                break;

            case Phase.ColumnDefinitionsEof:
                var eof = EofPacket.Read(payload);
                outcome.Status = eof.Status;
                outcome.HasStatus = true;
                // A cursor the client asked for (COM_STMT_EXECUTE + CURSOR_TYPE_READ_ONLY): no rows follow, they come
                // with COM_STMT_FETCH. The flag alone does not say so: a CALL whose routine used a cursor sets it too.
                if (state.Kind == ResponseKind.CursorResultSets && (eof.Status & ServerStatusFlags.CursorExists) != 0)
                {
                    outcome.OpenedCursor = true;
                    state.Phase = Phase.Done;
                }
                else
                {
                    state.Phase = Phase.Rows;
                }
                break;

            case Phase.Rows:
                if (first == ErrorPacket.Signature)
                {
                    ReadError(payload, ref outcome);
                    state.Phase = Phase.Done;
                }
                else if (IsTerminator(payload, caps))
                {
                    ReadTerminator(payload, isOk: (caps & CapabilityFlags.DeprecateEof) != 0, ref state, ref outcome);
                }
                else
                {
                    outcome.RowsSent++;
                }
                break;

            case Phase.FieldList:
                if (first == ErrorPacket.Signature)
                {
                    ReadError(payload, ref outcome);
                    state.Phase = Phase.Done;
                }
                else if (IsTerminator(payload, caps))
                {
                    state.Phase = Phase.Done;
                }
                break;

            case Phase.PrepareParameters:
                if (--state.Remaining == 0)
                    state.Phase = (caps & CapabilityFlags.DeprecateEof) != 0 ? NextPrepareColumns(ref state) : Phase.PrepareParametersEof;
                break;

            case Phase.PrepareParametersEof:
                state.Phase = NextPrepareColumns(ref state);
                break;

            case Phase.PrepareColumns:
                if (--state.Remaining == 0)
                    state.Phase = (caps & CapabilityFlags.DeprecateEof) != 0 ? Phase.Done : Phase.PrepareColumnsEof;
                break;

            case Phase.PrepareColumnsEof:
                state.Phase = Phase.Done;
                break;
        }
    }

    private static void AfterColumnDefinition(ref RelayState state)
    {
        if (--state.Remaining == 0)
            state.Phase = (state.Capabilities & CapabilityFlags.DeprecateEof) != 0 ? Phase.Rows : Phase.ColumnDefinitionsEof;
    }

    private static bool IsTerminator(ReadOnlySpan<byte> payload, CapabilityFlags caps) =>
        payload.Length > 0 && payload[0] == EofPacket.Signature &&
        ((caps & CapabilityFlags.DeprecateEof) != 0 ? payload.Length < PacketHeader.MaxPayloadLength : payload.Length < 9);

    private static void StartPrepare(ReadOnlySpan<byte> payload, ref RelayState state, ref RelayOutcome outcome)
    {
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        outcome.PreparedStatementId = reader.ReadUInt32();
        var columns = reader.ReadUInt16();
        var parameters = reader.ReadUInt16();
        outcome.PreparedColumnCount = columns;
        outcome.PreparedParameterCount = parameters;
        state.PrepareColumns = columns;
        if (parameters > 0)
        {
            state.Remaining = parameters;
            state.Phase = Phase.PrepareParameters;
        }
        else
        {
            state.Phase = NextPrepareColumns(ref state);
        }
    }

    private static Phase NextPrepareColumns(ref RelayState state)
    {
        if (state.PrepareColumns == 0)
            return Phase.Done;
        state.Remaining = state.PrepareColumns;
        return Phase.PrepareColumns;
    }

    private static void ReadTerminator(ReadOnlySpan<byte> payload, bool isOk, ref RelayState state, ref RelayOutcome outcome)
    {
        if (isOk)
        {
            var ok = OkPacket.Read(payload, state.Capabilities);
            outcome.Status = ok.Status;
            outcome.AffectedRows = ok.AffectedRows;
            outcome.LastInsertId = ok.LastInsertId;
            outcome.Warnings = ok.Warnings;
            if (!ok.SessionStateChanges.IsEmpty)
            {
                outcome.ChangedSchema = SessionStateChanges.FindSchema(ok.SessionStateChanges) ?? outcome.ChangedSchema;
                // A multi-statement answer has an OK per statement: the last GTID reported is the session's newest.
                if (SessionStateChanges.TryFindLastGtid(ok.SessionStateChanges, out var gtid))
                {
                    outcome.CommittedGtid = gtid;
                    outcome.HasGtid = true;
                }
                else if (SessionStateChanges.TryFindOwnGtid(ok.SessionStateChanges, out var ownGtid))
                {
                    outcome.CommittedMySqlGtid = ownGtid;
                    outcome.HasMySqlGtid = true;
                }
            }
        }
        else
        {
            var eof = EofPacket.Read(payload);
            outcome.Status = eof.Status;
            outcome.Warnings = eof.Warnings;
        }
        outcome.HasStatus = true;
        state.Phase = (outcome.Status & ServerStatusFlags.MoreResultsExist) != 0 && state.Kind is ResponseKind.ResultSets or ResponseKind.CursorResultSets ? Phase.First : Phase.Done;
    }

    private static void ReadError(ReadOnlySpan<byte> payload, ref RelayOutcome outcome)
    {
        var error = ErrorPacket.Read(payload);
        outcome.IsError = true;
        outcome.ErrorCode = error.ErrorCode;
        outcome.ErrorMessage = error.MessageText;
    }

    private ReadOnlySpan<byte> Materialize(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
            return payload.FirstSpan;
        var length = (int)payload.Length;
        if (_scratch is null || _scratch.Length < length)
        {
            if (_scratch is not null)
                PooledBuffers.Return(_scratch);
            _scratch = PooledBuffers.Rent(Math.Max(length, 4096));
        }
        var span = _scratch.AsSpan(0, length);
        payload.CopyTo(span);
        return span;
    }

    /// <summary>PREPARE_OK with the statement id replaced: clients see the session's ids, never a backend connection's.</summary>
    private static void WritePrepareOk(in ReadOnlySequence<byte> packet, ReadOnlySpan<byte> payload, uint statementId, PipeWriter client)
    {
        var span = client.GetSpan((int)packet.Length);
        packet.Slice(0, PacketHeader.Size).CopyTo(span);
        payload.CopyTo(span[PacketHeader.Size..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[(PacketHeader.Size + 1)..], statementId);
        client.Advance((int)packet.Length);
    }

    private static void Copy(in ReadOnlySequence<byte> source, PipeWriter client, ResponseCapture? capture)
    {
        foreach (var segment in source)
        {
            client.Write(segment.Span);
            capture?.Append(segment.Span);
        }
    }
}
