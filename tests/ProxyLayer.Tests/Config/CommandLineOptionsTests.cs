using ProxyLayer.Config;

namespace ProxyLayer.Tests.Config;

public sealed class CommandLineOptionsTests
{
    [Theory]
    [InlineData("-r")]
    [InlineData("--reuseport")]
    public void Reuseport_opts_in_to_sharing_the_ports(string flag)
    {
        var parsed = CommandLineOptions.Parse(["-f", flag]);
        Assert.True(parsed.Options!.ReusePort);
        Assert.Empty(parsed.Options.IgnoredFlags);
    }

    [Fact]
    public void Without_it_ports_are_owned_and_the_help_says_so()
    {
        Assert.False(CommandLineOptions.Parse(["-f"]).Options!.ReusePort);
        Assert.Contains("-r, --reuseport", CommandLineOptions.HelpText, StringComparison.Ordinal);
    }
}
