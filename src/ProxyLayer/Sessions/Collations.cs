namespace ProxyLayer.Sessions;

/// <summary>
/// Names of the collation ids clients send in their handshake, used to re-apply a session's character set on a
/// pooled backend connection with <c>SET NAMES</c>. Ids are the servers' (MySQL and MariaDB agree on these).
/// </summary>
internal static class Collations
{
    private static readonly Dictionary<int, (string Charset, string Collation)> Known = new()
    {
        [8] = ("latin1", "latin1_swedish_ci"),
        [11] = ("ascii", "ascii_general_ci"),
        [33] = ("utf8mb3", "utf8mb3_general_ci"),
        [45] = ("utf8mb4", "utf8mb4_general_ci"),
        [46] = ("utf8mb4", "utf8mb4_bin"),
        [47] = ("latin1", "latin1_bin"),
        [48] = ("latin1", "latin1_general_ci"),
        [63] = ("binary", "binary"),
        [83] = ("utf8mb3", "utf8mb3_bin"),
        [192] = ("utf8mb3", "utf8mb3_unicode_ci"),
        [224] = ("utf8mb4", "utf8mb4_unicode_ci"),
        [246] = ("utf8mb4", "utf8mb4_unicode_520_ci"),
        [255] = ("utf8mb4", "utf8mb4_0900_ai_ci"),
    };

    /// <summary>The statement that sets a connection's character set variables to <paramref name="collationId"/>.</summary>
    public static string SetNamesStatement(int collationId) => Known.TryGetValue(collationId, out var names)
        ? collationId is 63 or 255 ? $"SET NAMES {names.Charset}" : $"SET NAMES {names.Charset} COLLATE {names.Collation}"
        : "SET NAMES utf8mb4";
}
