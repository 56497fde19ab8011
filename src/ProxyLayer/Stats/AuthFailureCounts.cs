namespace ProxyLayer.Stats;

/// <summary>Why a login was refused, as <c>proxylayer_client_auth_failures_total</c> labels it.</summary>
internal enum AuthFailureReason
{
    /// <summary>Wrong password or unknown user (one answer for both, 1045, so the reason cannot be used to probe for names).</summary>
    AccessDenied,
    /// <summary>The password was right but the user (<c>use_ssl=1</c>) or the admin interface (<c>admin-ssl_required</c>) needs TLS.</summary>
    SslRequired,
    /// <summary>A login that broke the protocol: bad packets, a TLS handshake that failed.</summary>
    Malformed,
    /// <summary>Any other refusal of the login itself (a plugin the proxy does not serve, a timeout's error).</summary>
    Other,
}

/// <summary>
/// Refused logins counted by interface and reason, for the metrics; a fixed array of counters, so a flood of failures
/// costs an increment each and no memory.
/// </summary>
internal sealed class AuthFailureCounts
{
    public static readonly string[] Interfaces = ["mysql", "admin"];

    private readonly long[] _counts = new long[Interfaces.Length * Enum.GetValues<AuthFailureReason>().Length];

    public void Count(string interfaceName, AuthFailureReason reason) =>
        Interlocked.Increment(ref _counts[Slot(interfaceName, reason)]);

    public long Get(string interfaceName, AuthFailureReason reason) => Interlocked.Read(ref _counts[Slot(interfaceName, reason)]);

    /// <summary>The label value of <paramref name="reason"/>: snake_case, as Prometheus label values usually are.</summary>
    public static string LabelOf(AuthFailureReason reason) => reason switch
    {
        AuthFailureReason.AccessDenied => "access_denied",
        AuthFailureReason.SslRequired => "ssl_required",
        AuthFailureReason.Malformed => "malformed",
        _ => "other",
    };

    private static int Slot(string interfaceName, AuthFailureReason reason) =>
        Array.IndexOf(Interfaces, interfaceName) * Enum.GetValues<AuthFailureReason>().Length + (int)reason;
}
