namespace ProxyLayer.Admin;

/// <summary>
/// <c>SAVE MYSQL DIGEST TO DISK</c>: the digest table moves into <c>stats_history.history_mysql_query_digest</c> and
/// starts again empty; the OK's affected rows are the rows moved, as in ProxySQL.
/// </summary>
internal static class DigestToDiskCommand
{
    public static bool Matches(string normalized) =>
        string.Equals(normalized, "SAVE MYSQL DIGEST TO DISK", StringComparison.OrdinalIgnoreCase);

    /// <param name="live">The running proxy; without one there is no digest table, so nothing is moved.</param>
    public static AdminResult Run(IAdminLiveActions? live) => new AdminResult.Ok(live?.SaveDigestsToDisk() ?? 0);
}
