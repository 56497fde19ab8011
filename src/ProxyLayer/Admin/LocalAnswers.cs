using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxyLayer.Admin;

/// <summary>
/// Answers the FROM-less SELECTs that clients send on their own (spec §9): <c>@@version_comment</c>, the mysql
/// CLI's <c>\s</c> queries, <c>DATABASE()</c>, <c>USER()</c>, connector probes. SQLite knows none of these, so they
/// are answered here; a SELECT with anything else in it goes to SQLite.
/// </summary>
internal static partial class LocalAnswers
{
    public const string VersionComment = "(ProxyLayer Admin Module)";

    /// <summary>Session values a MySQL client expects; anything else named by <c>@@x</c> is looked up in global_variables.</summary>
    private static readonly Dictionary<string, string> ClientVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        ["version_comment"] = VersionComment,
        ["character_set_client"] = "utf8",
        ["character_set_connection"] = "utf8",
        ["character_set_server"] = "utf8",
        ["character_set_database"] = "utf8",
        ["character_set_results"] = "utf8",
        ["character_set_system"] = "utf8",
        ["collation_connection"] = "utf8_general_ci",
        ["collation_server"] = "utf8_general_ci",
        ["collation_database"] = "utf8_general_ci",
        ["sql_mode"] = "",
        ["max_allowed_packet"] = "67108864",
        ["lower_case_table_names"] = "0",
        ["auto_increment_increment"] = "1",
        ["autocommit"] = "1",
        ["tx_isolation"] = "REPEATABLE-READ",
        ["transaction_isolation"] = "REPEATABLE-READ",
        ["time_zone"] = "SYSTEM",
        ["system_time_zone"] = "UTC",
        ["init_connect"] = "",
        ["interactive_timeout"] = "28800",
        ["net_buffer_length"] = "16384",
        ["net_write_timeout"] = "60",
        ["query_cache_type"] = "OFF",
        ["query_cache_size"] = "0",
        ["license"] = "GPL",
        ["performance_schema"] = "0",
    };

    /// <param name="normalized">The statement as <see cref="StatementText.Normalize"/> returns it.</param>
    /// <param name="globalVariable">Looks a full name (<c>mysql-threads</c>) up in <c>main.global_variables</c>.</param>
    public static AdminResult? TryAnswer(string normalized, AdminSessionContext context, Func<string, string?> globalVariable)
    {
        var select = SelectWithoutFrom().Match(normalized);
        if (!select.Success)
            return null;
        var items = SplitTopLevel(select.Groups["items"].Value);
        var columns = new string[items.Count];
        var values = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = ItemWithAlias().Match(items[i]);
            if (!item.Success || !TryEvaluate(item.Groups["expr"].Value, context, globalVariable, out var value))
                return null;
            columns[i] = item.Groups["alias"].Success ? item.Groups["alias"].Value.Trim('`', '\'', '"') : item.Groups["expr"].Value;
            values[i] = value;
        }
        return new AdminResult.Rows(columns, [values]);
    }

    private static bool TryEvaluate(string expression, AdminSessionContext context, Func<string, string?> globalVariable, out string? value)
    {
        var variable = SystemVariable().Match(expression);
        if (variable.Success)
        {
            value = LookUpVariable(variable.Groups["name"].Value, globalVariable);
            return true;
        }
        value = expression.ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal) switch
        {
            "DATABASE()" or "SCHEMA()" => context.DatabaseName,
            "USER()" or "CURRENT_USER()" or "SESSION_USER()" or "SYSTEM_USER()" => context.Username,
            "CONNECTION_ID()" => context.ConnectionId.ToString(CultureInfo.InvariantCulture),
            "VERSION()" => LookUpVariable("version", globalVariable),
            "TIMEDIFF(NOW(),UTC_TIMESTAMP())" => UtcOffset(),
            _ => null,
        };
        return value is not null;
    }

    private static string? LookUpVariable(string name, Func<string, string?> globalVariable)
    {
        if (name.Equals("version", StringComparison.OrdinalIgnoreCase))
            return globalVariable("mysql-server_version") is { Length: > 0 } version ? version : Sessions.FrontendGreeting.DefaultVersion;
        if (ClientVariables.TryGetValue(name, out var value))
            return value;
        // Unknown names answer NULL rather than fail, so connector probes never break a login.
        return globalVariable(name) ?? globalVariable("mysql-" + name) ?? globalVariable("admin-" + name);
    }

    private static string UtcOffset()
    {
        var offset = TimeZoneInfo.Local.GetUtcOffset(DateTime.UtcNow);
        return (offset < TimeSpan.Zero ? "-" : "") + offset.Duration().ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>Splits on commas outside parentheses and quotes.</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var items = new List<string>();
        var depth = 0;
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } open)
            {
                if (c == open)
                    quote = null;
            }
            else if (c is '\'' or '"' or '`')
                quote = c;
            else if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
            else if (c == ',' && depth == 0)
            {
                items.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        items.Add(text[start..].Trim());
        return items;
    }

    [GeneratedRegex(@"^SELECT (?<items>.+?)(?: LIMIT \d+)?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SelectWithoutFrom();

    [GeneratedRegex(@"^(?<expr>.+?)(?: (?:AS )?(?<alias>`[^`]+`|'[^']+'|""[^""]+""|\w+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ItemWithAlias();

    [GeneratedRegex(@"^@@(?:(?:GLOBAL|SESSION|LOCAL)\.)?(?<name>[\w\-]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SystemVariable();
}
