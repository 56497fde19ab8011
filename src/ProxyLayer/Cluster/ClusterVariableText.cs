using System.Globalization;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>
/// A variable's value as a ProxySQL 2.7 node shows it in <c>runtime_global_variables</c>, which is what its
/// variables checksums hash: ProxySQL keeps MEMORY's text but its runtime prints booleans as <c>true</c>/<c>false</c>
/// (from true/false/1/0 in any case) and integers as numbers (<c>02000</c> → <c>2000</c>). ProxyLayer's runtime keeps
/// the text as given, so its checksums and what peers fetch use this form instead. The type is the default's.
/// </summary>
internal static class ClusterVariableText
{
    public static string AsProxySql(string name, string value)
    {
        // ProxyLayer's empty default means "the backends' version, ProxySQL's 8.0.11 until one is known".
        if (value.Length == 0 && name.Equals("mysql-server_version", StringComparison.OrdinalIgnoreCase))
            return Sessions.FrontendGreeting.DefaultVersion;
        if (!VariableDefaults.All.TryGetValue(name, out var fallback))
            return value;
        if (IsBoolean(fallback) && TryBoolean(value, out var flag))
            return flag ? "true" : "false";
        if (long.TryParse(fallback, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) &&
            long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            return number.ToString(CultureInfo.InvariantCulture);
        return value;
    }

    private static bool IsBoolean(string text) =>
        text.Equals("true", StringComparison.Ordinal) || text.Equals("false", StringComparison.Ordinal);

    private static bool TryBoolean(string text, out bool value)
    {
        value = text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1";
        return value || text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0";
    }
}
