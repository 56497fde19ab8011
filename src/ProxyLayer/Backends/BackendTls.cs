using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxyLayer.Config;
using ProxyLayer.Networking;

namespace ProxyLayer.Backends;

/// <summary>
/// TLS towards backends with <c>use_ssl=1</c>, from <c>mysql-ssl_p2s_*</c>, with ProxySQL's (libmariadb's) rules:
/// without a CA the server's certificate is taken as it is: the link is encrypted, not authenticated. With
/// <c>ssl_p2s_ca</c> or <c>ssl_p2s_capath</c> its chain must lead to one of those CAs; the host name is not compared,
/// as libmariadb does not unless told to. <c>ssl_p2s_cert</c> and <c>ssl_p2s_key</c> give a client certificate.
/// </summary>
internal sealed class BackendTls
{
    private static readonly Lock Gate = new();
    private static (Settings Key, BackendTls Value)? _current;

    private readonly X509ChainPolicy? _chainPolicy;
    private readonly X509Certificate2? _clientCertificate;
    private readonly CipherSuitesPolicy? _ciphers;

    private BackendTls(X509ChainPolicy? chainPolicy, X509Certificate2? clientCertificate, CipherSuitesPolicy? ciphers)
    {
        _chainPolicy = chainPolicy;
        _clientCertificate = clientCertificate;
        _ciphers = ciphers;
    }

    /// <summary>Whether the server's certificate is checked against configured CAs.</summary>
    public bool VerifiesServer => _chainPolicy is not null;

    /// <summary>The settings for the current variables; files are read once per change of the variables.</summary>
    /// <exception cref="BackendConnectException">A file cannot be read or a setting cannot be used.</exception>
    public static BackendTls For(MySqlVariables variables)
    {
        var key = new Settings(variables.SslP2sCa, variables.SslP2sCapath, variables.SslP2sCert, variables.SslP2sKey,
            variables.SslP2sCipher, variables.SslP2sCrl, variables.SslP2sCrlpath);
        lock (Gate)
        {
            if (_current is var (cachedKey, cached) && cachedKey == key)
                return cached;
        }
        var built = Build(key);
        lock (Gate)
            _current = (key, built);
        return built;
    }

    /// <summary>Options for one connection to <paramref name="host"/> (its name goes out as SNI).</summary>
    public SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        ClientCertificates = _clientCertificate is null ? null : [_clientCertificate],
        CertificateChainPolicy = _chainPolicy?.Clone(),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CipherSuitesPolicy = _ciphers,
#pragma warning disable CA5359 // deliberate, as in ProxySQL: without a configured CA the server is not authenticated
        RemoteCertificateValidationCallback = _chainPolicy is null ? AcceptAny : AcceptChainToConfiguredCa,
#pragma warning restore CA5359
    };

    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    private static bool AcceptChainToConfiguredCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;

    private static BackendTls Build(Settings s)
    {
        if (s.Crl.Length > 0 || s.CrlPath.Length > 0)
            throw Invalid("mysql-ssl_p2s_crl / mysql-ssl_p2s_crlpath are not supported; clear them");

        X509ChainPolicy? chainPolicy = null;
        if (s.Ca.Length > 0 || s.CaPath.Length > 0)
        {
            var authorities = new X509Certificate2Collection();
            if (s.Ca.Length > 0)
                Read("mysql-ssl_p2s_ca", s.Ca, () => authorities.ImportFromPemFile(s.Ca));
            if (s.CaPath.Length > 0)
            {
                var files = Read("mysql-ssl_p2s_capath", s.CaPath, () => Directory.GetFiles(s.CaPath));
                foreach (var file in files)
                {
                    try
                    {
                        authorities.ImportFromPemFile(file);
                    }
                    catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
                    {
                        // Not a certificate (OpenSSL's hash directories hold other files too): skipped.
                    }
                }
            }
            if (authorities.Count == 0)
                throw Invalid($"no CA certificate found in mysql-ssl_p2s_ca '{s.Ca}' / mysql-ssl_p2s_capath '{s.CaPath}'");
            chainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            chainPolicy.CustomTrustStore.AddRange(authorities);
        }

        X509Certificate2? clientCertificate = null;
        if (s.Cert.Length > 0 || s.Key.Length > 0)
        {
            if (s.Cert.Length == 0 || s.Key.Length == 0)
                throw Invalid("mysql-ssl_p2s_cert and mysql-ssl_p2s_key must be set together");
            clientCertificate = Read("mysql-ssl_p2s_cert", s.Cert, () => X509Certificate2.CreateFromPemFile(s.Cert, s.Key));
        }

        CipherSuitesPolicy? ciphers = null;
        if (s.Cipher.Length > 0)
        {
            var (suites, error) = TlsCipherNames.Parse(s.Cipher);
            if (error is not null)
                throw Invalid($"mysql-ssl_p2s_cipher: {error}");
            if (OperatingSystem.IsWindows())
                throw Invalid("mysql-ssl_p2s_cipher cannot be applied on Windows; clear it");
            ciphers = new CipherSuitesPolicy(suites);
        }
        return new BackendTls(chainPolicy, clientCertificate, ciphers);
    }

    private static T Read<T>(string variable, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Invalid($"{variable} '{path}': {ex.Message}");
        }
    }

    private static void Read(string variable, string path, Action read) => Read(variable, path, () =>
    {
        read();
        return true;
    });

    private static BackendConnectException Invalid(string message) => new($"backend TLS settings: {message}");

    private readonly record struct Settings(string Ca, string CaPath, string Cert, string Key, string Cipher, string Crl, string CrlPath);
}
