using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Routing;

namespace ProxyLayer.Tests.Config;

/// <summary>Rows that can never work are refused by LOAD, named, and the runtime stays as it was.</summary>
public sealed class UserRowValidationTests
{
    private static readonly UserConfig Good = new() { Username = "app", Password = "secret", DefaultHostgroup = 10 };

    [Theory]
    [InlineData("", "username is empty")]
    [InlineData("\0", "username='\\u0000'")]
    [InlineData("ad\0min", "control character U+0000")]
    [InlineData("app\n", "control character U+000A")]
    [InlineData("a\tb", "control character U+0009")]
    [InlineData("\u007f", "control character U+007F")]
    [InlineData("\u0085x", "control character U+0085")]
    public void Unusable_usernames_fail_the_load_by_name(string username, string expected)
    {
        var manager = Manager();
        Assert.True(manager.Apply(ProxyConfig.Empty with { Users = [Good] }).Succeeded);
        var before = manager.Snapshot;

        var result = manager.Apply(ProxyConfig.Empty with { Users = [Good, Good with { Username = username }] });

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("mysql_users (username='", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', error);
        Assert.Same(before, manager.Snapshot);
    }

    [Theory]
    [InlineData("app-user")]
    [InlineData("user with spaces")]
    [InlineData("ünïcødé")]
    [InlineData("'quoted'")]
    public void Unusual_but_possible_names_load(string username) =>
        Assert.True(Manager().Apply(ProxyConfig.Empty with { Users = [Good with { Username = username }] }).Succeeded);

    [Fact]
    public void A_null_password_loads_with_a_warning_as_the_schema_allows_it()
    {
        var manager = Manager();
        var result = manager.Apply(ProxyConfig.Empty with { Users = [Good with { Password = null }] });

        Assert.True(result.Succeeded);
        Assert.Contains("mysql_users (username='app', backend=1, frontend=1): password is NULL", Assert.Single(result.Warnings), StringComparison.Ordinal);
        Assert.True(manager.Snapshot.FrontendUsers.ContainsKey("app"));
        // The same users loaded again (with another module's LOAD) do not repeat it.
        Assert.Empty(manager.Apply(manager.Current with { Variables = manager.Current.Variables.SetItem("mysql-max_connections", "100") }).Warnings);
    }

    [Fact]
    public void An_oversized_pattern_fails_the_load_and_keeps_the_running_rules()
    {
        var manager = Manager();
        var rule = new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 20 };
        Assert.True(manager.Apply(ProxyConfig.Empty with { QueryRules = [rule] }).Succeeded);
        var before = manager.Snapshot;
        var limit = QueryRuleSetOptions.Default.MaxPatternLength;

        var result = manager.Apply(ProxyConfig.Empty with
        {
            QueryRules = [rule with { RuleId = 2, MatchPattern = "^SELECT " + new string('a', limit) }],
        });

        Assert.False(result.Succeeded);
        Assert.Equal($"mysql_query_rules rule_id 2: match_pattern is {limit + 8} characters long; at most {limit} are allowed",
            Assert.Single(result.Errors));
        Assert.Same(before, manager.Snapshot);
    }

    private static RuntimeConfigManager Manager() => new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
}
