using ProxyLayer.Backends;
using ProxyLayer.Protocol;

namespace ProxyLayer.Tests.Backends;

public class BackendIdentityStateTests
{
    [Fact]
    public void The_monitors_same_version_keeps_the_capabilities_a_greeting_showed()
    {
        var state = new BackendIdentityState();
        state.OnGreeting("5.5.5-10.11.6-MariaDB", CapabilityFlags.Protocol41);
        var greeted = state.Current;

        state.OnVersion("5.5.5-10.11.6-MariaDB");

        Assert.Same(greeted, state.Current);
        Assert.Equal(CapabilityFlags.Protocol41, state.Current!.Capabilities);
    }

    [Fact]
    public void A_new_version_replaces_the_old_and_an_unchanged_greeting_makes_nothing_new()
    {
        var state = new BackendIdentityState();
        state.OnGreeting("5.5.5-10.6.0-MariaDB", CapabilityFlags.Protocol41);
        state.OnVersion("5.5.5-10.11.6-MariaDB");
        Assert.Equal("5.5.5-10.11.6-MariaDB", state.Current!.Version);
        Assert.Null(state.Current.Capabilities);

        state.OnGreeting("5.5.5-10.11.6-MariaDB", CapabilityFlags.Protocol41);
        var current = state.Current;
        state.OnGreeting("5.5.5-10.11.6-MariaDB", CapabilityFlags.Protocol41);
        Assert.Same(current, state.Current);
    }

    [Fact]
    public void Servers_of_a_registry_report_to_its_state()
    {
        var registry = new BackendServerRegistry();

        registry.Get("db1", 3306).OnGreeting("8.0.36", CapabilityFlags.LongPassword);

        Assert.Equal("8.0.36", registry.Identity.Current!.Version);
    }
}
