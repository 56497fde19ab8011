using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>PEM files of a throw-away CA and a server certificate it signed (for 127.0.0.1 and localhost).</summary>
public sealed record TestCertificates(string CaPath, string CertPath, string KeyPath)
{
    /// <summary>Creates the CA, the server certificate and its key in <paramref name="directory"/>.</summary>
    public static TestCertificates Create(string directory, string name = "proxylayer-test")
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={name} CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest($"CN={name} server", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var server = serverRequest.Create(ca, now.AddDays(-1), now.AddYears(1), serial);

        var files = new TestCertificates(
            Path.Combine(directory, $"{name}-ca.pem"),
            Path.Combine(directory, $"{name}-cert.pem"),
            Path.Combine(directory, $"{name}-key.pem"));
        File.WriteAllText(files.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(files.CertPath, server.ExportCertificatePem());
        File.WriteAllText(files.KeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }
}
