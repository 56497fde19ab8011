using System.Collections.Frozen;
using System.Text.Json;
using ProxyLayer.Config;

namespace ProxyLayer.Gtid;

/// <summary>
/// The per-user override of <c>mysql-read_your_writes</c>: <c>{"read_your_writes": true|false}</c> in
/// <c>mysql_users.attributes</c>. Read once per configuration load; attributes that are not JSON, or lack the key,
/// leave the global switch in charge.
/// </summary>
internal static class ReadYourWritesUsers
{
    public const string AttributeName = "read_your_writes";

    public static FrozenDictionary<string, bool> From(IEnumerable<UserConfig> users)
    {
        var overrides = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (Of(user.Attributes) is { } value)
                overrides.TryAdd(user.Username, value);
        }
        return overrides.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static bool? Of(string attributes)
    {
        if (string.IsNullOrWhiteSpace(attributes) || !attributes.Contains(AttributeName, StringComparison.Ordinal))
            return null;
        try
        {
            using var document = JsonDocument.Parse(attributes);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(AttributeName, out var value))
                return null;
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when value.TryGetInt32(out var number) => number != 0,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
