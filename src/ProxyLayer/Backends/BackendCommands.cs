using System.Text;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;

namespace ProxyLayer.Backends;

/// <summary>Small commands the proxy itself sends to a backend connection (not relayed from a client).</summary>
internal static class BackendCommands
{
    /// <summary>COM_RESET_CONNECTION: drops the previous owner's session state before reuse. True on OK.</summary>
    public static async ValueTask<bool> ResetConnectionAsync(BackendConnection connection, CancellationToken cancellationToken)
    {
        if (!await SimpleCommandAsync(connection, [(byte)CommandKind.ResetConnection], cancellationToken).ConfigureAwait(false))
            return false;
        // The server resets session variables to its global defaults and keeps the schema.
        connection.OnReset();
        return true;
    }

    /// <summary>COM_PING on an idle connection. True if the server answered OK.</summary>
    public static async ValueTask<bool> PingAsync(BackendConnection connection, CancellationToken cancellationToken) =>
        await SimpleCommandAsync(connection, [(byte)CommandKind.Ping], cancellationToken).ConfigureAwait(false);

    /// <summary>COM_INIT_DB. Returns null on success, else the server's error.</summary>
    public static async ValueTask<MySqlError?> InitDbAsync(BackendConnection connection, string schema, CancellationToken cancellationToken)
    {
        var payload = TextCommand(CommandKind.InitDb, schema);
        var error = await CommandAsync(connection, payload, cancellationToken).ConfigureAwait(false);
        if (error is null)
            connection.Schema = schema;
        return error;
    }

    /// <summary>A statement whose answer is OK or ERR (e.g. SET NAMES). Returns null on success, else the error.</summary>
    public static ValueTask<MySqlError?> ExecuteAsync(BackendConnection connection, string sql, CancellationToken cancellationToken)
    {
        var payload = TextCommand(CommandKind.Query, sql);
        return CommandAsync(connection, payload, cancellationToken);
    }

    /// <summary>A ready-made command (e.g. a cached COM_QUERY payload) answered by OK or ERR. Returns null on success, else the error.</summary>
    public static ValueTask<MySqlError?> ExecuteAsync(BackendConnection connection, byte[] payload, CancellationToken cancellationToken) =>
        CommandAsync(connection, payload, cancellationToken);

    /// <summary>
    /// A query whose answer is one row of one column (e.g. <c>SELECT MASTER_GTID_WAIT(…)</c>): the value as text
    /// (null for SQL NULL or no row), or the server's error. Other columns and rows are read and dropped.
    /// </summary>
    public static async ValueTask<(string? Value, MySqlError? Error)> QueryScalarAsync(BackendConnection connection, string sql,
        CancellationToken cancellationToken)
    {
        var channel = connection.Channel;
        channel.StartCommand();
        channel.WritePayload(TextCommand(CommandKind.Query, sql));
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var first = await ReadOrThrowAsync(connection, cancellationToken).ConfigureAwait(false);
        if (ErrorPacket.IsError(first.Span))
        {
            var error = ErrorPacket.Read(first.Span);
            return (null, new MySqlError(error.ErrorCode, error.SqlStateText, error.MessageText));
        }
        if (first.Span[0] == OkPacket.Signature)
        {
            connection.Status = OkPacket.Read(first.Span, connection.Capabilities).Status;
            return (null, null);
        }
        var columns = (int)new Protocol.Serialization.PayloadReader(first.Span).ReadLengthEncodedInteger();
        var deprecateEof = (connection.Capabilities & CapabilityFlags.DeprecateEof) != 0;
        for (var i = 0; i < columns + (deprecateEof ? 0 : 1); i++)
            await ReadOrThrowAsync(connection, cancellationToken).ConfigureAwait(false);
        string? value = null;
        var rows = 0;
        while (true)
        {
            var packet = await ReadOrThrowAsync(connection, cancellationToken).ConfigureAwait(false);
            var span = packet.Span;
            if (ErrorPacket.IsError(span))
            {
                var error = ErrorPacket.Read(span);
                return (null, new MySqlError(error.ErrorCode, error.SqlStateText, error.MessageText));
            }
            if (span.Length > 0 && span[0] == EofPacket.Signature && span.Length < 0xFFFFFF && (deprecateEof || span.Length < 9))
            {
                connection.Status = deprecateEof ? OkPacket.Read(span, connection.Capabilities).Status : EofPacket.Read(span).Status;
                return (value, null);
            }
            if (rows++ == 0 && span[0] != 0xFB)
                value = new Protocol.Serialization.PayloadReader(span).ReadLengthEncodedString();
        }
    }

    /// <summary>
    /// COM_STMT_PREPARE sent by the proxy itself (to re-prepare a client's statement on another connection); the
    /// answer's definitions are read and dropped. Returns the statement, or the server's error.
    /// </summary>
    public static async ValueTask<(BackendStatement? Statement, MySqlError? Error)> PrepareAsync(BackendConnection connection, string sql,
        CancellationToken cancellationToken)
    {
        var payload = TextCommand(CommandKind.StmtPrepare, sql);
        var channel = connection.Channel;
        channel.StartCommand();
        channel.WritePayload(payload);
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var reply = await ReadOrThrowAsync(connection, cancellationToken).ConfigureAwait(false);
        if (ErrorPacket.IsError(reply.Span))
        {
            var error = ErrorPacket.Read(reply.Span);
            return (null, new MySqlError(error.ErrorCode, error.SqlStateText, error.MessageText));
        }
        var (id, columns, parameters) = ReadPrepareOk(reply.Span);
        var eof = (connection.Capabilities & CapabilityFlags.DeprecateEof) == 0;
        var packets = parameters + columns + (eof && parameters > 0 ? 1 : 0) + (eof && columns > 0 ? 1 : 0);
        for (var i = 0; i < packets; i++)
            await ReadOrThrowAsync(connection, cancellationToken).ConfigureAwait(false);
        return (new BackendStatement(id, parameters), null);
    }

    /// <summary>Sends COM_STMT_CLOSE (no answer comes) for the statements the connection's cache dropped.</summary>
    public static ValueTask ClosePendingStatementsAsync(BackendConnection connection, CancellationToken cancellationToken)
    {
        var pending = connection.Statements.PendingCloses;
        if (pending.Count == 0)
            return ValueTask.CompletedTask;
        Span<byte> payload = stackalloc byte[5];
        payload[0] = (byte)CommandKind.StmtClose;
        foreach (var id in pending)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(payload[1..], id);
            connection.Channel.StartCommand();
            connection.Channel.WritePayload(payload);
        }
        pending.Clear();
        return connection.Channel.FlushAsync(cancellationToken);
    }

    private static (uint Id, int Columns, int Parameters) ReadPrepareOk(ReadOnlySpan<byte> payload)
    {
        var reader = new Protocol.Serialization.PayloadReader(payload);
        reader.ReadByte();
        var id = reader.ReadUInt32();
        int columns = reader.ReadUInt16();
        int parameters = reader.ReadUInt16();
        return (id, columns, parameters);
    }

    private static async ValueTask<ReadOnlyMemory<byte>> ReadOrThrowAsync(BackendConnection connection, CancellationToken cancellationToken)
    {
        var reply = await connection.Channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
        if (reply.IsClosed)
        {
            connection.MarkBroken();
            throw new IOException($"{connection.Server} closed the connection");
        }
        return reply.Payload;
    }

    /// <summary>A command whose argument is text (COM_QUERY, COM_INIT_DB, COM_STMT_PREPARE): the command byte, then UTF-8.</summary>
    public static byte[] TextCommand(CommandKind command, string text)
    {
        var payload = new byte[1 + Encoding.UTF8.GetByteCount(text)];
        payload[0] = (byte)command;
        Encoding.UTF8.GetBytes(text, payload.AsSpan(1));
        return payload;
    }

    /// <summary>A command answered by OK or ERR; true on OK.</summary>
    private static async ValueTask<bool> SimpleCommandAsync(BackendConnection connection, byte[] payload, CancellationToken cancellationToken) =>
        await CommandAsync(connection, payload, cancellationToken).ConfigureAwait(false) is null;

    private static async ValueTask<MySqlError?> CommandAsync(BackendConnection connection, byte[] payload, CancellationToken cancellationToken)
    {
        var channel = connection.Channel;
        channel.StartCommand();
        channel.WritePayload(payload);
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
        var reply = await channel.ReadPayloadAsync(cancellationToken).ConfigureAwait(false);
        if (reply.IsClosed)
        {
            connection.MarkBroken();
            throw new IOException($"{connection.Server} closed the connection");
        }
        var span = reply.Payload.Span;
        if (ErrorPacket.IsError(span))
        {
            var error = ErrorPacket.Read(span);
            return new MySqlError(error.ErrorCode, error.SqlStateText, error.MessageText);
        }
        if (OkPacket.IsOk(span, connection.Capabilities) || EofPacket.IsEof(span))
        {
            if (span[0] == OkPacket.Signature)
                connection.Status = OkPacket.Read(span, connection.Capabilities).Status;
            return null;
        }
        // Anything else (a result set) means the connection is in a state we did not expect.
        connection.MarkBroken();
        throw new ProtocolException($"{connection.Server} answered a simple command with a result set");
    }
}
