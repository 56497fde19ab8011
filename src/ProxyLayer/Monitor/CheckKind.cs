namespace ProxyLayer.Monitor;

/// <summary>The checks the monitor runs against each server, each on its own schedule.</summary>
internal enum CheckKind
{
    Connect,
    Ping,
    ReadOnly,
    ReplicationLag,
    /// <summary>The wsrep status of a node of an active mysql_galera_hostgroups cluster.</summary>
    Galera,
    /// <summary>The server's applied GTIDs, for read-your-writes (ProxyLayer's own; no monitor log table).</summary>
    GtidPosition,
}
