using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Networking;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// Proxies for the client-login tests: in front of one MariaDB server, with the users given, a default plugin, and a
/// TLS certificate (and RSA key, when a test makes one) in a temporary data directory removed on dispose.
/// </summary>
internal sealed class AuthProxyRig(MariaDbServer server, ITestOutputHelper output, string name) : IDisposable
{
    public DirectoryInfo Datadir { get; } = Directory.CreateTempSubdirectory($"proxylayer-{name}-");

    /// <summary>The CA that signed the proxy's certificate, for clients that verify it.</summary>
    public string CaFile => Path.Combine(Datadir.FullName, FrontendTls.CaFile);

    /// <param name="defaultPlugin"><c>mysql-default_authentication_plugin</c>; null: the proxy's default.</param>
    public ProxyUnderTest Start(IEnumerable<UserConfig> users, string? defaultPlugin) =>
        ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(server.Port,
                defaultPlugin is null ? [] : [new("mysql-default_authentication_plugin", defaultPlugin)], users),
            output, FrontendTls.LoadOrCreate(Datadir.FullName));

    public void Dispose() => Datadir.Delete(recursive: true);
}
