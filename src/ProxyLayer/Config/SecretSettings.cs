namespace ProxyLayer.Config;

/// <summary>Settings whose values are secrets: error messages about them name the setting but never show its value.</summary>
internal static class SecretSettings
{
    /// <summary>
    /// <c>password</c> (mysql_users, proxysql_servers), <c>monitor_password</c>, <c>admin_credentials</c>,
    /// <c>stats_credentials</c>, <c>cluster_password</c> and the like.
    /// </summary>
    public static bool IsSecret(string? name) =>
        name is not null && (name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("credentials", StringComparison.OrdinalIgnoreCase));
}
