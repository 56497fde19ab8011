using System.Security.Cryptography;

namespace ProxyLayer.Networking;

/// <summary>
/// The key pair caching_sha2_password clients encrypt their password with when they log in without TLS (the
/// "RSA public-key exchange"). With a data directory it is kept there, as MySQL keeps <c>private_key.pem</c> and
/// <c>public_key.pem</c>, so clients that pin the public key keep working across restarts; ProxySQL 2.7 has no
/// variables for these paths. Without one (tests, embedded use) a key is made on first use and lives in memory.
/// </summary>
internal sealed class FrontendRsaKey
{
    public const string PrivateKeyFile = "proxylayer-rsa-private.pem";
    public const string PublicKeyFile = "proxylayer-rsa-public.pem";

    private readonly Lazy<(RSA Key, byte[] PublicPem)> _key;

    // PublicationOnly: logins that race for a key being made each make one (CPU work) rather than wait on a lock on a
    // socket thread; the first one made is kept.
    private FrontendRsaKey(Func<(RSA, byte[])> load) => _key = new Lazy<(RSA, byte[])>(load, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>Decrypts the client's password; RSA operations are thread-safe on one key.</summary>
    public RSA Key => _key.Value.Key;

    /// <summary>The public key as the AuthMoreData packet carries it: PEM text.</summary>
    public byte[] PublicPem => _key.Value.PublicPem;

    /// <summary>A key made in memory when first needed (2048 bits: tens of milliseconds, once).</summary>
    public static FrontendRsaKey InMemory() => new(() => FromKey(RSA.Create(2048)));

    /// <summary>The key pair in <paramref name="datadir"/>, generated (private key owner-only) if either file is missing.</summary>
    /// <exception cref="CryptographicException">The files exist but do not hold a usable RSA key.</exception>
    public static FrontendRsaKey LoadOrCreate(string datadir)
    {
        var privatePath = Path.Combine(datadir, PrivateKeyFile);
        var publicPath = Path.Combine(datadir, PublicKeyFile);
        RSA key;
        if (File.Exists(privatePath) && File.Exists(publicPath))
        {
            key = RSA.Create();
            key.ImportFromPem(File.ReadAllText(privatePath));
        }
        else
        {
            key = RSA.Create(2048);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new StreamWriter(privatePath, options))
                file.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
            File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem() + "\n");
        }
        var loaded = FromKey(key);
        return new FrontendRsaKey(() => loaded);
    }

    private static (RSA, byte[]) FromKey(RSA key) => (key, System.Text.Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem() + "\n"));
}
