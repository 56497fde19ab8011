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
    /// <summary>Rows and a terminator, no column definitions (COM_STMT_FETCH).</summary>
    RowsOnly,
    /// <summary>PREPARE_OK with parameter and column definitions, or ERR (COM_STMT_PREPARE).</summary>
    Prepare,
    /// <summary>Column definitions until EOF, or ERR (COM_FIELD_LIST).</summary>
    FieldList,
    /// <summary>One string packet (COM_STATISTICS).</summary>
    SinglePacket,
}
