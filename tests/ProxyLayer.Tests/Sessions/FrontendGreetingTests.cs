using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Protocol;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public class FrontendGreetingTests
{
    private const CapabilityFlags MySqlServer = CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.DeprecateEof;
    private const CapabilityFlags MariaDbServer = CapabilityFlags.Protocol41 | CapabilityFlags.DeprecateEof |
        CapabilityFlags.MariaDbProgress | CapabilityFlags.MariaDbComMulti | CapabilityFlags.MariaDbStmtBulkOperations |
        CapabilityFlags.MariaDbExtendedTypeInfo | CapabilityFlags.MariaDbCacheMetadata;

    private static MySqlVariables Settings(params (string Name, string Value)[] overrides)
    {
        var variables = new Dictionary<string, string>(VariableDefaults.All, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in overrides)
            variables[name] = value;
        var parsed = MySqlVariables.Parse(variables);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Errors));
        return parsed.Value!;
    }

    [Fact]
    public void Before_any_backend_is_known_it_is_ProxySQLs_default_version_and_capabilities()
    {
        var greeting = FrontendGreeting.ForClients(Settings(("mysql-have_compress", "false")), null);

        Assert.Equal("8.0.11", greeting.Version);
        Assert.Equal(FrontendGreeting.Base, greeting.Capabilities);
    }

    [Fact]
    public void A_MariaDB_greeting_is_repeated_without_CLIENT_MYSQL_and_with_extended_type_info_only()
    {
        var greeting = FrontendGreeting.ForClients(Settings(("mysql-have_compress", "false")),
            new BackendIdentity("5.5.5-10.11.6-MariaDB-log", MariaDbServer));

        Assert.Equal("5.5.5-10.11.6-MariaDB-log", greeting.Version);
        Assert.Equal((FrontendGreeting.Base & ~CapabilityFlags.LongPassword) | CapabilityFlags.MariaDbExtendedTypeInfo, greeting.Capabilities);
    }

    [Fact]
    public void A_MariaDB_server_without_extended_type_info_gets_none_offered()
    {
        var greeting = FrontendGreeting.ForClients(Settings(), new BackendIdentity("5.5.5-10.4.30-MariaDB", MariaDbServer & ~CapabilityFlags.MariaDbExtendedTypeInfo));

        Assert.Equal(CapabilityFlags.None, greeting.Capabilities & (CapabilityFlags.LongPassword | CapabilityFlags.MariaDbExtendedTypeInfo));
    }

    [Fact]
    public void A_MySQL_greeting_keeps_the_MySQL_capabilities()
    {
        var greeting = FrontendGreeting.ForClients(Settings(("mysql-have_compress", "false")), new BackendIdentity("8.0.36", MySqlServer));

        Assert.Equal("8.0.36", greeting.Version);
        Assert.Equal(FrontendGreeting.Base, greeting.Capabilities);
    }

    [Fact]
    public void An_explicit_server_version_wins_and_the_capabilities_still_follow_the_backends()
    {
        var greeting = FrontendGreeting.ForClients(Settings(("mysql-server_version", "5.5.30")),
            new BackendIdentity("5.5.5-10.11.6-MariaDB", MariaDbServer));

        Assert.Equal("5.5.30", greeting.Version);
        Assert.Equal(CapabilityFlags.MariaDbExtendedTypeInfo, greeting.Capabilities & CapabilityFlags.MariaDbExtendedTypeInfo);
    }

    [Theory]
    [InlineData("5.5.5-10.11.6-MariaDB-0+deb12u1-log", true, true)]
    [InlineData("11.4.2-MariaDB", true, true)]
    [InlineData("5.5.5-10.5.2-MariaDB", true, true)]
    [InlineData("5.5.5-10.4.30-MariaDB", true, false)]
    [InlineData("8.0.36", false, false)]
    public void A_version_seen_by_the_monitor_alone_tells_what_the_release_supports(string version, bool mariaDb, bool extendedTypeInfo)
    {
        var identity = new BackendIdentity(version, null);

        Assert.Equal(mariaDb, identity.IsMariaDb);
        Assert.Equal(extendedTypeInfo ? CapabilityFlags.MariaDbExtendedTypeInfo : CapabilityFlags.None, identity.MariaDbCapabilities);
    }

    [Fact]
    public void Compression_is_offered_with_have_compress_when_zlib_is_there()
    {
        var on = FrontendGreeting.ForClients(Settings(("mysql-have_compress", "true")), null);
        var off = FrontendGreeting.ForClients(Settings(("mysql-have_compress", "false")), null);

        Assert.Equal(Protocol.Serialization.CompressedPacketFramer.IsSupported, (on.Capabilities & CapabilityFlags.Compress) != 0);
        Assert.Equal(CapabilityFlags.None, off.Capabilities & CapabilityFlags.Compress);
    }

    [Fact]
    public void The_admin_interface_announces_the_configured_or_default_version_and_nothing_more()
    {
        Assert.Equal(new FrontendGreeting("8.0.11", FrontendGreeting.Base), FrontendGreeting.ForAdmin(Settings()));
        Assert.Equal("5.5.30", FrontendGreeting.ForAdmin(Settings(("mysql-server_version", "5.5.30"))).Version);
    }
}
