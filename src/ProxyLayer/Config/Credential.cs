namespace ProxyLayer.Config;

/// <summary>A user/password pair from <c>admin-admin_credentials</c> or <c>admin-stats_credentials</c>.</summary>
public sealed record Credential(string Username, string Password)
{
    /// <summary>Parses <c>user:pass;user2:pass2</c>. The password is everything after the first colon, so it may hold colons.</summary>
    public static bool TryParseList(string text, out List<Credential> credentials, out string error)
    {
        credentials = [];
        error = "";
        var items = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            int colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                // Not quoted: a pair typed with another separator would show its password.
                error = $"entry {i + 1} of {items.Length} is not user:password (not shown: it may hold a password)";
                return false;
            }
            credentials.Add(new Credential(item[..colon], item[(colon + 1)..]));
        }
        return true;
    }

    // Keep passwords out of logs and exception messages.
    public override string ToString() => $"{Username}:***";
}
