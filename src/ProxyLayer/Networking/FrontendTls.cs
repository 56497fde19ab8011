using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxyLayer.Networking;

/// <summary>
/// The certificate the MySQL interface offers clients TLS with, from <c>proxysql-ca.pem</c>, <c>proxysql-cert.pem</c>
/// and <c>proxysql-key.pem</c> in the data directory. As ProxySQL does, missing files are generated at start: a
/// self-signed CA and a certificate it signed, so clients can verify the proxy against <c>proxysql-ca.pem</c>.
/// </summary>
internal sealed class FrontendTls
{
    public const string CaFile = "proxysql-ca.pem";
    public const string CertFile = "proxysql-cert.pem";
    public const string KeyFile = "proxysql-key.pem";

    private FrontendTls(X509Certificate2 certificate, SslStreamCertificateContext context, bool generated)
    {
        Certificate = certificate;
        Generated = generated;
        ServerOptions = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    public X509Certificate2 Certificate { get; }
    /// <summary>True if the files were missing and have just been written.</summary>
    public bool Generated { get; }
    public SslServerAuthenticationOptions ServerOptions { get; }

    /// <summary>
    /// Answers a client's SSL request on <paramref name="transport"/>: the TLS handshake, then the connection goes on
    /// over TLS. Off the socket engine's thread first: the key exchange costs milliseconds of CPU (inline completions).
    /// </summary>
    /// <param name="peer">Who the client is, for the error ("client", "admin client").</param>
    public async ValueTask AcceptAsync(SocketTransport transport, string peer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await transport.StartTlsAsync((stream, token) => stream.AuthenticateAsServerAsync(ServerOptions, token), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            throw new IOException($"TLS handshake with the {peer} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the three files from <paramref name="datadir"/>, first generating them if any is missing.</summary>
    /// <exception cref="CryptographicException">The files exist but do not hold a usable certificate and key.</exception>
    public static FrontendTls LoadOrCreate(string datadir)
    {
        var ca = Path.Combine(datadir, CaFile);
        var cert = Path.Combine(datadir, CertFile);
        var key = Path.Combine(datadir, KeyFile);
        var generated = false;
        if (!File.Exists(ca) || !File.Exists(cert) || !File.Exists(key))
        {
            Generate(ca, cert, key);
            generated = true;
        }
        var certificate = X509Certificate2.CreateFromPemFile(cert, key);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(ca);
        var context = SslStreamCertificateContext.Create(certificate, authorities, offline: true);
        return new FrontendTls(certificate, context, generated);
    }

    private static void Generate(string caPath, string certPath, string keyPath)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ProxyLayer_Auto_Generated_CA_Certificate", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=ProxyLayer_Auto_Generated_Server_Certificate", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var server = request.Create(ca, now.AddDays(-1), now.AddYears(10), serial);

        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certPath, server.ExportCertificatePem() + "\n");
        // The key is written owner-only from the start, never readable by others even briefly.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var keyFile = new StreamWriter(keyPath, options);
        keyFile.Write(serverKey.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
