using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProxyLayer.Config;

namespace ProxyLayer.Http.Dashboard;

/// <summary>The outcome of checking a request's <c>Authorization</c> header.</summary>
internal enum DigestVerdict
{
    /// <summary>The header proves one of the credentials.</summary>
    Accepted,
    /// <summary>No header, another scheme, a malformed one, an unknown user or a wrong response.</summary>
    Refused,
    /// <summary>Right user and password over a nonce this server made but that has expired: the browser retries by itself.</summary>
    Stale,
}

/// <summary>
/// HTTP Digest authentication (RFC 7616, MD5, <c>qop=auth</c>; RFC 2069's form without qop is accepted too), as
/// ProxySQL's status page asks for it, against <c>admin-stats_credentials</c>. Nonces are stateless: a Unix time and an
/// HMAC of it under a key made at start, valid for <see cref="NonceLifetime"/> (ProxySQL's 300 s), so nothing grows
/// per client. Replays within the lifetime are not tracked: the page is served over TLS only.
/// </summary>
internal sealed class DigestAuthentication(TimeProvider time)
{
    public const string Realm = "Access to ProxySQL status page";
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromSeconds(300);

    private readonly byte[] _nonceKey = RandomNumberGenerator.GetBytes(32);
    private readonly string _opaque = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The <c>WWW-Authenticate</c> value of a 401.</summary>
    public string Challenge(bool stale) =>
        $"Digest realm=\"{Realm}\", qop=\"auth\", algorithm=MD5, nonce=\"{NewNonce()}\", opaque=\"{_opaque}\"" + (stale ? ", stale=true" : "");

    /// <summary>Checks <paramref name="authorization"/> for <paramref name="method"/> on <paramref name="requestTarget"/> (path and query as sent).</summary>
    public DigestVerdict Verify(string? authorization, string method, string requestTarget, IReadOnlyList<Credential> credentials, out string? username)
    {
        username = null;
        if (authorization is null || !authorization.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase)
            || !DigestHeader.TryParse(authorization.AsSpan(7), out var header))
            return DigestVerdict.Refused;
        username = header.Get("username");
        var nonce = header.Get("nonce");
        var uri = header.Get("uri");
        var response = header.Get("response");
        var qop = header.Get("qop");
        if (username is null || nonce is null || uri is null || response is null || header.Get("realm") != Realm
            || !string.Equals(uri, requestTarget, StringComparison.Ordinal)
            || (header.Get("algorithm") is { } algorithm && !algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase)))
            return DigestVerdict.Refused;
        if (qop is not null && qop != "auth")
            return DigestVerdict.Refused;
        var nonceAge = NonceAge(nonce);
        if (nonceAge is null)
            return DigestVerdict.Refused;

        var name = username;
        var credential = credentials.FirstOrDefault(c => string.Equals(c.Username, name, StringComparison.Ordinal));
        if (credential is null)
            return DigestVerdict.Refused;
        var ha1 = Md5Hex($"{credential.Username}:{Realm}:{credential.Password}");
        var ha2 = Md5Hex($"{method}:{uri}");
        string expected;
        if (qop is null)
        {
            expected = Md5Hex($"{ha1}:{nonce}:{ha2}");
        }
        else
        {
            var nc = header.Get("nc");
            var cnonce = header.Get("cnonce");
            if (nc is null || cnonce is null)
                return DigestVerdict.Refused;
            expected = Md5Hex($"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
            return DigestVerdict.Refused;
        return nonceAge > NonceLifetime ? DigestVerdict.Stale : DigestVerdict.Accepted;
    }

    private string NewNonce()
    {
        var issued = time.GetUtcNow().ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        return issued + "." + Signature(issued);
    }

    /// <summary>How old a nonce this server made is; null if it did not make it.</summary>
    private TimeSpan? NonceAge(string nonce)
    {
        var dot = nonce.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot > 16)
            return null;
        var issued = nonce[..dot];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(issued)), Encoding.ASCII.GetBytes(nonce[(dot + 1)..]))
            || !long.TryParse(issued, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seconds))
            return null;
        return time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
    }

    private string Signature(string issued) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_nonceKey, Encoding.ASCII.GetBytes(issued)).AsSpan(0, 16));

#pragma warning disable CA5351 // MD5 is what HTTP Digest's MD5 algorithm is, and what browsers and ProxySQL use
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
