using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Config;
using ProxyLayer.Http.Dashboard;

namespace ProxyLayer.Tests.Http.Dashboard;

public sealed partial class DigestAuthenticationTests
{
    private static readonly Credential[] Stats = [new("stats", "stats"), new("viewer", "pa:ss")];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_rfc_7616_response_of_a_stats_user_is_accepted()
    {
        var digest = new DigestAuthentication(_time);
        var header = Answer(digest.Challenge(stale: false), "viewer", "pa:ss", "GET", "/api/status");
        Assert.Equal(DigestVerdict.Accepted, digest.Verify(header, "GET", "/api/status", Stats, out var user));
        Assert.Equal("viewer", user);
    }

    [Theory]
    [InlineData("stats", "wrong", "GET", "/api/status", "/api/status")]      // wrong password
    [InlineData("admin", "admin", "GET", "/api/status", "/api/status")]      // not a stats user
    [InlineData("stats", "stats", "GET", "/", "/api/status")]                // answer made for another URI
    [InlineData("stats", "stats", "HEAD", "/api/status", "/api/status")]     // answer made for another method
    public void Wrong_answers_are_refused(string user, string password, string answeredMethod, string answeredUri, string requestUri)
    {
        var digest = new DigestAuthentication(_time);
        var header = Answer(digest.Challenge(stale: false), user, password, answeredMethod, answeredUri);
        Assert.Equal(DigestVerdict.Refused, digest.Verify(header, "GET", requestUri, Stats, out _));
    }

    [Fact]
    public void A_nonce_from_another_server_is_refused_and_an_old_one_is_stale()
    {
        var other = new DigestAuthentication(_time);
        var digest = new DigestAuthentication(_time);
        var foreign = Answer(other.Challenge(stale: false), "stats", "stats", "GET", "/");
        Assert.Equal(DigestVerdict.Refused, digest.Verify(foreign, "GET", "/", Stats, out _));

        var header = Answer(digest.Challenge(stale: false), "stats", "stats", "GET", "/");
        _time.Advance(DigestAuthentication.NonceLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(DigestVerdict.Stale, digest.Verify(header, "GET", "/", Stats, out _));
        Assert.Contains("stale=true", digest.Challenge(stale: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic c3RhdHM6c3RhdHM=")]
    [InlineData("Digest ")]
    [InlineData("Digest username=\"stats")]
    [InlineData("Digest =x")]
    [InlineData("Digest username=stats, username=other")]
    [InlineData("Digest username=\"stats\", realm=\"Access to ProxySQL status page\", nonce=\"zz.zz\", uri=\"/\", response=\"00\"")]
    public void Malformed_headers_are_refused_without_throwing(string? header)
    {
        var digest = new DigestAuthentication(_time);
        Assert.Equal(DigestVerdict.Refused, digest.Verify(header, "GET", "/", Stats, out _));
    }

    /// <summary>What a browser sends back for <paramref name="challenge"/> (RFC 7616, MD5, qop=auth).</summary>
    private static string Answer(string challenge, string user, string password, string method, string uri)
    {
        var realm = Parameter(challenge, "realm");
        var nonce = Parameter(challenge, "nonce");
        const string Cnonce = "0a4f113b";
        const string Nc = "00000001";
        var ha1 = Md5($"{user}:{realm}:{password}");
        var ha2 = Md5($"{method}:{uri}");
        var response = Md5($"{ha1}:{nonce}:{Nc}:{Cnonce}:auth:{ha2}");
        return $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5, " +
            $"response=\"{response}\", qop=auth, nc={Nc}, cnonce=\"{Cnonce}\", opaque=\"{Parameter(challenge, "opaque")}\"";
    }

    private static string Parameter(string challenge, string name) =>
        Regex.Match(challenge, name + "=\"([^\"]*)\"").Groups[1].Value;

#pragma warning disable CA5351 // HTTP Digest's MD5
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
