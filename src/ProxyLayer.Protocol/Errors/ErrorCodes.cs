namespace ProxyLayer.Protocol;

/// <summary>
/// Error codes the proxy itself sends, with their SQLSTATEs. Server codes are MySQL's
/// (https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html); 9001+ are ProxySQL's own.
/// </summary>
public static class ErrorCodes
{
    public const int ConnectionCountError = 1040; // ER_CON_COUNT_ERROR, 08004
    public const int AccessDenied = 1045; // ER_ACCESS_DENIED_ERROR, 28000
    public const int DbAccessDenied = 1044; // ER_DBACCESS_DENIED_ERROR, 42000
    public const int AccessDeniedNoPassword = 1698; // ER_ACCESS_DENIED_NO_PASSWORD_ERROR, 28000 (MariaDB, e.g. unix_socket accounts)
    public const int NoDatabaseSelected = 1046; // ER_NO_DB_ERROR, 3D000
    public const int UnknownCommand = 1047; // ER_UNKNOWN_COM_ERROR, 08S01
    public const int BadDatabase = 1049; // ER_BAD_DB_ERROR, 42000
    public const int HandshakeError = 1043; // ER_HANDSHAKE_ERROR, 08S01
    public const int NetReadError = 1158; // ER_NET_READ_ERROR, 08S01
    public const int NetPacketTooLarge = 1153; // ER_NET_PACKET_TOO_LARGE, 08S01
    public const int NetPacketsOutOfOrder = 1156; // ER_NET_PACKETS_OUT_OF_ORDER, 08S01
    public const int UnknownStatement = 1243; // ER_UNKNOWN_STMT_HANDLER, HY000
    public const int TooManyUserConnections = 1203; // ER_TOO_MANY_USER_CONNECTIONS, 42000
    public const int UserLimitReached = 1226; // ER_USER_LIMIT_REACHED, 42000
    public const int QueryInterrupted = 1317; // ER_QUERY_INTERRUPTED, 70100
    public const int LockDeadlock = 1213;
    public const int ServerGoneError = 2006; // CR_SERVER_GONE_ERROR
    public const int ServerLost = 2013; // CR_SERVER_LOST
    public const int RuleErrorMessage = 1148; // ProxySQL answers a rule's error_msg with 1148/42000

    public const int MaxConnectTimeout = 9001; // ProxySQL: no backend in the hostgroup within connect_timeout_server_max
    public const int MaxConnectFailure = 9002; // ProxySQL: connect retries exhausted
    public const int ProxyInternalError = 9003;
    public const int LockedToHostgroup = 9006; // ProxySQL: session locked to one hostgroup
    public const int BackendLost = 9010; // ProxyLayer: the backend died while the statement ran
}
