using System.Collections.Frozen;
using System.Net.Security;

namespace ProxyLayer.Networking;

/// <summary>
/// Reads ProxySQL's cipher settings (<c>mysql-ssl_p2s_cipher</c>): a colon-separated OpenSSL list. Suites are named
/// the OpenSSL way (<c>ECDHE-RSA-AES256-GCM-SHA384</c>) or the IANA way (<c>TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384</c>);
/// OpenSSL's keywords and operators (<c>HIGH</c>, <c>!aNULL</c>) are not understood and are reported as such.
/// </summary>
internal static class TlsCipherNames
{
    private static readonly FrozenDictionary<string, TlsCipherSuite> OpenSsl = new Dictionary<string, TlsCipherSuite>
    {
        ["ECDHE-ECDSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-ECDSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-ECDSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["DHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        ["DHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        ["DHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-ECDSA-AES128-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        ["ECDHE-ECDSA-AES256-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        ["ECDHE-RSA-AES128-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        ["ECDHE-RSA-AES256-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        ["ECDHE-ECDSA-AES128-SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ["ECDHE-ECDSA-AES256-SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        ["ECDHE-RSA-AES128-SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        ["ECDHE-RSA-AES256-SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        ["DHE-RSA-AES128-SHA256"] = TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
        ["DHE-RSA-AES256-SHA256"] = TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
        ["AES128-GCM-SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ["AES256-GCM-SHA384"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ["AES128-SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        ["AES256-SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
        ["AES128-SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        ["AES256-SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The suites of <paramref name="list"/>, or an error naming the first entry that is not one.</summary>
    public static (TlsCipherSuite[] Suites, string? Error) Parse(string list)
    {
        var suites = new List<TlsCipherSuite>();
        foreach (var name in list.Split([':', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (OpenSsl.TryGetValue(name, out var suite) ||
                (name.StartsWith("TLS_", StringComparison.OrdinalIgnoreCase) && Enum.TryParse(name, ignoreCase: true, out suite)))
                suites.Add(suite);
            else
                return ([], $"'{name}' is not a cipher suite name this proxy knows (OpenSSL keywords and operators are not supported)");
        }
        return suites.Count == 0 ? ([], "the list names no cipher suite") : ([.. suites], null);
    }
}
