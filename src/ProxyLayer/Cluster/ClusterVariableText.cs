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
        // The telnet interfaces: ProxySQL's NULL default reads "(null)" (hashed when cluster_sync_interfaces is on), and
        // an empty value sent to a ProxySQL peer would be refused there and its row deleted.
        if (value.Length == 0 && VariableDefaults.IsNullInProxySql(name))
            return NullText;
        if (!VariableDefaults.All.TryGetValue(name, out var fallback))
            return value;
        if (IsBoolean(fallback) && TryBoolean(value, out var flag))
            return flag ? "true" : "false";
        if (long.TryParse(fallback, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) &&
            long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            return number.ToString(CultureInfo.InvariantCulture);
        return value;
    }

    /// <summary>How ProxySQL prints a variable whose value is a NULL string.</summary>
    public const string NullText = "(null)";

    /// <summary>
    /// A value a peer sent, as ProxyLayer stores it: the <c>(null)</c> of a NULL-default variable becomes ProxyLayer's
    /// empty value again. Both mean "none": ProxySQL stores the text <c>(null)</c> and never listens on telnet interfaces.
    /// </summary>
    public static string FromProxySql(string name, string value) =>
        value == NullText && VariableDefaults.IsNullInProxySql(name) ? "" : value;

    private static bool IsBoolean(string text) =>
        text.Equals("true", StringComparison.Ordinal) || text.Equals("false", StringComparison.Ordinal);

    private static bool TryBoolean(string text, out bool value)
    {
        value = text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1";
        return value || text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0";
    }
}
