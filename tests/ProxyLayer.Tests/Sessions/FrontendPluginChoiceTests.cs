using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Auth;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public class FrontendPluginChoiceTests
{
    [Theory]
    [InlineData(StoredPasswordKind.Native)]
    [InlineData(StoredPasswordKind.CachingSha2)]
    [InlineData(StoredPasswordKind.Ed25519)]
    [InlineData(StoredPasswordKind.Parsec)]
    [InlineData(StoredPasswordKind.Clear)]
    public void Clear_password_is_taken_over_tls_whatever_the_stored_form(StoredPasswordKind stored)
    {
        Assert.Equal(AuthPlugins.ClearPassword,
            FrontendAuthenticator.ChoosePlugin(stored, AuthPlugins.ClearPassword, overTls: true, AuthPlugins.MysqlNativePassword));
    }

    [Theory]
    [InlineData(StoredPasswordKind.Native, AuthPlugins.MysqlNativePassword)]
    [InlineData(StoredPasswordKind.CachingSha2, AuthPlugins.CachingSha2Password)]
    [InlineData(StoredPasswordKind.Ed25519, ClientEd25519.PluginName)]
    [InlineData(StoredPasswordKind.Parsec, Parsec.PluginName)]
    [InlineData(StoredPasswordKind.Clear, AuthPlugins.CachingSha2Password)]
    public void Without_tls_a_clear_password_client_is_switched_to_a_hashing_plugin(StoredPasswordKind stored, string expected)
    {
        Assert.Equal(expected,
            FrontendAuthenticator.ChoosePlugin(stored, AuthPlugins.ClearPassword, overTls: false, AuthPlugins.CachingSha2Password));
    }

    [Fact]
    public void A_clear_text_user_logs_in_with_parsec_when_the_client_starts_with_it()
    {
        Assert.Equal(Parsec.PluginName,
            FrontendAuthenticator.ChoosePlugin(StoredPasswordKind.Clear, Parsec.PluginName, overTls: false, AuthPlugins.MysqlNativePassword));
    }
}
