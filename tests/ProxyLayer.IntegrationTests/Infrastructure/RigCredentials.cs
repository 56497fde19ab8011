namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// Accounts on every rig server, created by <c>scripts/sql/users.sql</c> before the binary log exists.
/// </summary>
public static class RigCredentials
{
    /// <summary>The rig's own superuser, used for orchestration and assertions.</summary>
    public const string AdminUser = "rigadmin";
    public const string AdminPassword = "rigadmin";

    /// <summary>The application account: everything except bypassing read_only.</summary>
    public const string AppUser = "appuser";
    public const string AppPassword = "apppass";

    /// <summary>The proxy monitor account: replication client, slave monitor, process.</summary>
    public const string MonitorUser = "monitor";
    public const string MonitorPassword = "monitor";

    public const string ReplicationUser = "repl";
    public const string ReplicationPassword = "repl";
}
