using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions;

/// <summary>How a relayed response ended.</summary>
internal enum RelayEnd
{
    /// <summary>The response is complete; the backend connection is at a command boundary.</summary>
    Completed,
    /// <summary>The backend asked for a LOCAL INFILE; the client's file must be relayed next, then the rest of the response.</summary>
    LocalInfileRequested,
    /// <summary>The backend closed or failed before the response was complete.</summary>
    BackendLost,
    /// <summary>The client stopped taking data (disconnected).</summary>
    ClientLost,
}

/// <summary>The facts the session needs from a relayed response (status, errors, counts), gathered without re-encoding it.</summary>
internal struct RelayOutcome
{
    public RelayEnd End;
    public ServerStatusFlags Status;
    public bool HasStatus;
    public bool IsError;
    /// <summary>The response carried a result set (column count, definitions, rows).</summary>
    public bool HadResultSet;
    /// <summary>A cursor the client asked for was opened: its rows stay on this connection until fetched.</summary>
    public bool OpenedCursor;
    /// <summary>The answer was ERR 1290 (read-only server) and was not sent to the client (see ResponseRelay).</summary>
    public bool HeldBackReadOnly;
    public string? HeldBackMessage;
    public ushort ErrorCode;
    /// <summary>The error packet's message (set on the error path only, for <c>stats_mysql_errors</c>).</summary>
    public string? ErrorMessage;
    public ulong AffectedRows;
    public ulong LastInsertId;
    public ushort Warnings;
    public long RowsSent;
    public long BytesForwarded;
    /// <summary>Sequence id of the last whole packet forwarded to the client (for an error after it).</summary>
    public byte LastSequenceId;
    /// <summary>True while part of a packet has been forwarded: nothing more can be said to the client in that case.</summary>
    public bool MidPacket;
    /// <summary>
    /// The first packet did not carry the sequence id an answer to the command carries: something the server sent
    /// unasked before it (an error it sends to idle connections when it shuts down, say). Ends as
    /// <see cref="RelayEnd.BackendLost"/> with nothing forwarded; the connection cannot be used any more.
    /// </summary>
    public bool OutOfSequence;
    /// <summary>The new default schema if the server reported one through session tracking.</summary>
    public string? ChangedSchema;
    /// <summary>The GTID of a commit this response reported (MariaDB <c>last_gtid</c> session tracking); valid when <see cref="HasGtid"/>.</summary>
    public Gtid.MariaDbGtid CommittedGtid;
    public bool HasGtid;
    /// <summary>The session's own GTID a MySQL response reported (SESSION_TRACK_GTIDS); valid when <see cref="HasMySqlGtid"/>.</summary>
    public Gtid.MySqlGtid CommittedMySqlGtid;
    public bool HasMySqlGtid;
    /// <summary>The statement id of a successful COM_STMT_PREPARE.</summary>
    public uint PreparedStatementId;
    public ushort PreparedColumnCount;
    public ushort PreparedParameterCount;
}
