namespace ProxyLayer.Sessions.State;

/// <summary>
/// Why a session keeps its backend connection between statements instead of returning it to the pool. Each is
/// state that lives only on that connection and cannot be moved to another one.
/// </summary>
[Flags]
internal enum PinReasons
{
    None = 0,
    /// <summary><c>@user</c> variables were set; their values live on the connection.</summary>
    UserVariables = 1,
    TemporaryTable = 1 << 1,
    /// <summary><c>LOCK TABLES</c> / <c>FLUSH TABLES WITH READ LOCK</c>, until <c>UNLOCK TABLES</c>.</summary>
    TableLocks = 1 << 2,
    /// <summary><c>GET_LOCK()</c>: named locks are released only by the connection that holds them.</summary>
    NamedLocks = 1 << 3,
    /// <summary><c>SQL_CALC_FOUND_ROWS</c>: <c>FOUND_ROWS()</c> must run on the same connection.</summary>
    FoundRows = 1 << 4,
    /// <summary>Text-protocol <c>PREPARE</c>.</summary>
    TextPreparedStatement = 1 << 5,
    /// <summary>A <c>SET</c> the proxy cannot track (expressions, several statements).</summary>
    UntrackedSet = 1 << 6,
    /// <summary>An open cursor (COM_STMT_EXECUTE with a cursor; rows come with COM_STMT_FETCH).</summary>
    OpenCursor = 1 << 7,
    /// <summary>COM_STMT_SEND_LONG_DATA sent data to a statement on this connection, not yet executed.</summary>
    LongData = 1 << 8,
    /// <summary><c>SET TRANSACTION …</c> for the next transaction only.</summary>
    NextTransactionCharacteristics = 1 << 9,
    /// <summary>COM_SET_OPTION changed multi-statement mode on the connection.</summary>
    ConnectionOption = 1 << 10,
    /// <summary>A rule with <c>multiplex=0</c> matched.</summary>
    RuleDisabledMultiplexing = 1 << 11,
    /// <summary>
    /// The session reads or resets per-connection history (<c>FLUSH STATUS</c>, session <c>SHOW STATUS</c>,
    /// <c>SHOW PROFILES</c>): it got a connection of its own, so the counters are its own.
    /// </summary>
    SessionHistory = 1 << 12,
}
