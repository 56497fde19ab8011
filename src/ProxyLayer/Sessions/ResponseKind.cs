namespace ProxyLayer.Sessions;

/// <summary>The shape of the backend's answer to a command, which tells the relay where the answer ends.</summary>
internal enum ResponseKind
{
    /// <summary>No answer at all (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA).</summary>
    None,
    /// <summary>OK, ERR or EOF (COM_PING, COM_INIT_DB, COM_RESET_CONNECTION, COM_SET_OPTION, …).</summary>
    Simple,
    /// <summary>OK, ERR, a LOCAL INFILE request, or result sets (text or binary), possibly several (COM_QUERY, COM_STMT_EXECUTE).</summary>
    ResultSets,
    /// <summary>
    /// As <see cref="ResultSets"/>, for a COM_STMT_EXECUTE that asked for a cursor: a result set whose column
    /// definitions end with an EOF carrying SERVER_STATUS_CURSOR_EXISTS stops there (its rows come with COM_STMT_FETCH).
    /// Only then: a routine that used a cursor internally sets the same flag, and its rows still follow.
    /// </summary>
    CursorResultSets,
    /// <summary>Rows and a terminator, no column definitions (COM_STMT_FETCH).</summary>
    RowsOnly,
    /// <summary>PREPARE_OK with parameter and column definitions, or ERR (COM_STMT_PREPARE).</summary>
    Prepare,
    /// <summary>Column definitions until EOF, or ERR (COM_FIELD_LIST).</summary>
    FieldList,
    /// <summary>One string packet (COM_STATISTICS).</summary>
    SinglePacket,
}
