using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>
/// What the cluster needs from the admin module (ProxySQL Cluster, spec §10): to hear of every module loaded to
/// runtime (its checksum, version and epoch change), and to answer the statements peers send before SQLite sees
/// them. Called with the store's lock held, on the connection given; must not keep it.
/// </summary>
internal interface IAdminClusterHooks
{
    /// <param name="origin">Set when a cluster sync made the load: the peer's checksum and epoch, kept if ours matches.</param>
    void Loaded(SqliteConnection connection, AdminModule module, object? origin);

    /// <summary>A peer's statement (GLOBAL_CHECKSUM(), PROXY_SELECT …, CLUSTER_NODE_UUID …) answered, or null.</summary>
    AdminResult? TryAnswer(SqliteConnection connection, string normalized, AdminSessionContext context);

    /// <summary>Fills the cluster's tables (<c>runtime_checksums_values</c>, <c>stats_proxysql_servers_*</c>) the statement reads.</summary>
    void Refresh(SqliteConnection connection, string statement);
}
