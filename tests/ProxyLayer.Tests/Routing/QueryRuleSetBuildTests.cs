using ProxyLayer.Routing;
using static ProxyLayer.Tests.Routing.QueryRuleTestData;

namespace ProxyLayer.Tests.Routing;

public sealed class QueryRuleSetBuildTests
{
    [Fact]
    public void Invalid_regex_is_an_error_naming_the_rule_and_nothing_is_built()
    {
        var result = QueryRuleSet.Build([Rule(1, "("), Rule(2, "^SELECT", hostgroup: 20)]);

        Assert.False(result.Succeeded);
        Assert.Null(result.RuleSet);
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.RuleId);
        Assert.Contains("match_pattern '('", error.Message, StringComparison.Ordinal);
        Assert.Contains("Not enough )'s", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("mysql_query_rules rule_id 1: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var result = QueryRuleSet.Build(
        [
            Rule(1) with { MatchDigest = "[" },
            Rule(2) with { ReplacePattern = "x" },
            Rule(3) with { Digest = "0xNOTHEX" },
            Rule(4, "^SELECT") with { ReModifiers = "CASELESS,MULTILINE" },
            Rule(5) with { ClientAddr = "10.%.0.1" },
            Rule(6, "^SELECT (a)") with { ReplacePattern = @"\2" },
            Rule(7, "^SELECT"),
            Rule(7, "^INSERT"),
        ]);

        Assert.False(result.Succeeded);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], result.Errors.Select(e => e.RuleId));
        Assert.Contains("match_digest", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("replace_pattern needs a match_pattern", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("digest '0xNOTHEX'", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("unknown word 'MULTILINE'", result.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("client_addr", result.Errors[4].Message, StringComparison.Ordinal);
        Assert.Contains(@"group \2", result.Errors[5].Message, StringComparison.Ordinal);
        Assert.Contains("more than once", result.Errors[6].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inactive_rules_are_not_validated()
    {
        Assert.True(QueryRuleSet.Build([Rule(1, "(") with { Active = false }]).Succeeded);
    }

    [Fact]
    public void Seed_rules_warn_that_rule_2_overrides_rule_1()
    {
        var result = QueryRuleSet.Build(SeedRules());

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(1, warning.RuleId);
        Assert.Contains("destination_hostgroup=10 never takes effect", warning.Message, StringComparison.Ordinal);
        Assert.Contains("later rule_id 2", warning.Message, StringComparison.Ordinal);
        Assert.Contains("go to hostgroup 20", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Set apply=1 on rule_id 1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_override_warning_with_apply_on_the_first_rule()
    {
        Assert.Empty(QueryRuleSet.Build(SeedRules(applyOnFirst: true)).Warnings);
    }

    [Theory]
    [InlineData("^INSERT", "^SELECT")]            // disjoint prefixes
    [InlineData("^SELECT", "^SELECT.*FOR UPDATE")] // the later rule is narrower
    [InlineData("FOR UPDATE", "^SELECT")]          // the earlier pattern is not anchored
    [InlineData("^SEL|^INS", "^SEL")]              // alternation: no provable prefix
    [InlineData("^SELECTX?", "^SELECTX")]          // optional character is not required
    public void No_override_warning_unless_the_later_pattern_surely_matches(string first, string later)
    {
        var result = QueryRuleSet.Build([Rule(1, first, hostgroup: 10), Rule(2, later, hostgroup: 20)]);

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Override_warning_for_a_catch_all_later_rule()
    {
        var result = QueryRuleSet.Build([Rule(1, "^UPDATE", hostgroup: 10), Rule(2, hostgroup: 20)]);

        Assert.Contains("later rule_id 2", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_override_warning_when_the_later_rule_filters_what_the_first_does_not()
    {
        var result = QueryRuleSet.Build(
        [
            Rule(1, "^SELECT.*FOR UPDATE", hostgroup: 10),
            Rule(2, "^SELECT", hostgroup: 20) with { Username = "report" },
            Rule(3, "^SELECT", hostgroup: 30) with { FlagIn = 1 },
            Rule(4, "^select", hostgroup: 40) with { ReModifiers = "" },
            Rule(5, "^SELECT", hostgroup: 10),
        ]);

        // Rules 2 and 4 are overridden by rule 5; rule 1 is not: rule 5 sends its queries to the same hostgroup.
        Assert.Equal([2, 4], result.Warnings.Select(w => w.RuleId));
    }

    [Fact]
    public void Override_warning_follows_the_flagOut_chain()
    {
        var result = QueryRuleSet.Build(
        [
            Rule(1, "^SELECT", hostgroup: 10) with { FlagOut = 2 },
            Rule(2, "^SELECT", hostgroup: 20) with { FlagIn = 2 },
        ]);

        Assert.Contains("(flagIN 2)", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_rule_with_apply_that_keeps_the_hostgroup_ends_the_search()
    {
        var result = QueryRuleSet.Build(
        [
            Rule(1, "^SELECT.*FOR UPDATE", hostgroup: 10),
            Rule(2, "^SELECT", hostgroup: 10, apply: true),
            Rule(3, hostgroup: 20),
        ]);

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Empty_flagOUTs_and_negated_replace_are_warnings()
    {
        var result = QueryRuleSet.Build(
        [
            Rule(1, "^SELECT") with { Attributes = "{\"flagOUTs\":[]}" },
            Rule(2, "^SELECT") with { ReplacePattern = "x", NegateMatchPattern = true },
        ]);

        Assert.True(result.Succeeded);
        Assert.Equal([1, 2], result.Warnings.Select(w => w.RuleId));
    }

    [Fact]
    public void Empty_rule_list_builds_an_empty_set()
    {
        var result = QueryRuleSet.Build([]);

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.RuleSet.Count);
    }
}

public sealed class QueryRulePatternLengthTests
{
    [Theory]
    [InlineData("match_pattern")]
    [InlineData("match_digest")]
    [InlineData("replace_pattern")]
    public void Each_pattern_column_is_bounded(string column)
    {
        var options = new QueryRuleSetOptions { MaxPatternLength = 16 };
        var longText = new string('x', 17);
        var rule = QueryRuleTestData.Rule(1, "^SELECT");
        rule = column switch
        {
            "match_pattern" => rule with { MatchPattern = longText },
            "match_digest" => rule with { MatchDigest = longText },
            _ => rule with { ReplacePattern = longText },
        };

        var result = QueryRuleSet.Build([rule], options);

        Assert.Equal($"{column} is 17 characters long; at most 16 are allowed", Assert.Single(result.Errors).Message);
        Assert.True(QueryRuleSet.Build([QueryRuleTestData.Rule(1, new string('x', 16))], options).Succeeded);
    }
}
