namespace ProxyLayer.Monitor;

/// <summary>The statement behind each <c>check_type</c> of <c>mysql_replication_hostgroups</c>, and how to read its answer.</summary>
internal static class ReadOnlyQuery
{
    public static string For(string checkType) => checkType.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "innodb_read_only" => "SELECT @@global.innodb_read_only AS read_only",
        "super_read_only" => "SELECT @@global.super_read_only AS read_only",
        "read_only&innodb_read_only" => "SELECT @@global.read_only & @@global.innodb_read_only AS read_only",
        "read_only|innodb_read_only" => "SELECT @@global.read_only | @@global.innodb_read_only AS read_only",
        _ => "SELECT @@global.read_only AS read_only",
    };

    /// <summary><c>0</c> or <c>OFF</c> means writable; anything else is read-only.</summary>
    public static bool IsReadOnly(object? value)
    {
        var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "";
        return !(text == "0" || string.Equals(text, "OFF", StringComparison.OrdinalIgnoreCase));
    }
}
