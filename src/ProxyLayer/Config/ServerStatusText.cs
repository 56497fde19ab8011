namespace ProxyLayer.Config;

/// <summary>The spellings ProxySQL uses for <see cref="ServerStatus"/> in tables and config files.</summary>
public static class ServerStatusText
{
    public static string ToText(ServerStatus status) => status switch
    {
        ServerStatus.Online => "ONLINE",
        ServerStatus.Shunned => "SHUNNED",
        ServerStatus.OfflineSoft => "OFFLINE_SOFT",
        ServerStatus.OfflineHard => "OFFLINE_HARD",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string text, out ServerStatus status)
    {
        foreach (var candidate in Enum.GetValues<ServerStatus>())
        {
            if (string.Equals(text, ToText(candidate), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }
}
