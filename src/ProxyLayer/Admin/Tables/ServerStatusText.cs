using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary><see cref="ServerStatus"/> as ProxySQL writes it in <c>mysql_servers.status</c>.</summary>
internal static class ServerStatusText
{
    public static string Format(ServerStatus status) => status switch
    {
        ServerStatus.Online => "ONLINE",
        ServerStatus.Shunned => "SHUNNED",
        ServerStatus.OfflineSoft => "OFFLINE_SOFT",
        ServerStatus.OfflineHard => "OFFLINE_HARD",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The table's CHECK compares <c>UPPER(status)</c>, so any case is accepted.</summary>
    public static ServerStatus Parse(string text) => text.ToUpperInvariant() switch
    {
        "ONLINE" => ServerStatus.Online,
        "SHUNNED" => ServerStatus.Shunned,
        "OFFLINE_SOFT" => ServerStatus.OfflineSoft,
        "OFFLINE_HARD" => ServerStatus.OfflineHard,
        _ => throw new AdminRowException($"mysql_servers: unknown status '{text}'"),
    };
}
