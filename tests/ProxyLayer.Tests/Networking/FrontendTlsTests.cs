using System.Security.Cryptography.X509Certificates;
using ProxyLayer.Networking;

namespace ProxyLayer.Tests.Networking;

public sealed class FrontendTlsTests : IDisposable
{
    private readonly DirectoryInfo _datadir = Directory.CreateTempSubdirectory("proxylayer-tls-");

    public void Dispose() => _datadir.Delete(recursive: true);

    [Fact]
    public void Missing_files_are_generated_once_then_loaded()
    {
        var first = FrontendTls.LoadOrCreate(_datadir.FullName);
        var second = FrontendTls.LoadOrCreate(_datadir.FullName);

        Assert.True(first.Generated);
        Assert.False(second.Generated);
        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        Assert.True(second.Certificate.HasPrivateKey);
        foreach (var file in (string[])[FrontendTls.CaFile, FrontendTls.CertFile, FrontendTls.KeyFile])
            Assert.True(File.Exists(Path.Combine(_datadir.FullName, file)), file);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_datadir.FullName, FrontendTls.KeyFile)));
    }

    [Fact]
    public void Generated_certificate_chains_to_the_generated_ca()
    {
        var tls = FrontendTls.LoadOrCreate(_datadir.FullName);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(Path.Combine(_datadir.FullName, FrontendTls.CaFile));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(tls.Certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void A_missing_key_regenerates_all_three()
    {
        var first = FrontendTls.LoadOrCreate(_datadir.FullName);
        File.Delete(Path.Combine(_datadir.FullName, FrontendTls.KeyFile));

        var second = FrontendTls.LoadOrCreate(_datadir.FullName);

        Assert.True(second.Generated);
        Assert.NotEqual(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
    }
}
