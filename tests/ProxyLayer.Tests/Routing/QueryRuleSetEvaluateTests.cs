using ProxyLayer.Routing;
using static ProxyLayer.Tests.Routing.QueryRuleTestData;

namespace ProxyLayer.Tests.Routing;

public sealed class QueryRuleSetEvaluateTests
{
    [Fact]
    public void Seed_rules_without_apply_end_at_the_later_rules_hostgroup_with_both_hit()
    {
        var rules = BuildOrFail(SeedRules());

        var outcome = rules.Evaluate(Input("SELECT * FROM t FOR UPDATE"));

        Assert.Equal(20, outcome.DestinationHostgroup);
        Assert.Equal([1, 2], outcome.MatchedRuleIds.ToArray());
        Assert.Equal([new QueryRuleHits(1, 1), new QueryRuleHits(2, 1)], rules.GetHits().ToArray());
    }

    [Fact]
    public void Seed_rules_with_apply_on_the_first_end_at_its_hostgroup()
    {
        var rules = BuildOrFail(SeedRules(applyOnFirst: true));

        var outcome = rules.Evaluate(Input("SELECT * FROM t FOR UPDATE"));

        Assert.Equal(10, outcome.DestinationHostgroup);
        Assert.Equal([1], outcome.MatchedRuleIds.ToArray());
        Assert.Equal([new QueryRuleHits(1, 1), new QueryRuleHits(2, 0)], rules.GetHits().ToArray());
    }

    [Fact]
    public void No_match_leaves_the_hostgroup_to_the_caller()
    {
        var rules = BuildOrFail(SeedRules());

        var outcome = rules.Evaluate(Input("INSERT INTO t VALUES (1)"));

        Assert.False(outcome.Matched);
        Assert.Null(outcome.DestinationHostgroup);
        Assert.True(outcome.MatchedRuleIds.IsEmpty);
    }

    [Fact]
    public void Rules_run_in_rule_id_order_whatever_the_input_order()
    {
        var rules = BuildOrFail(Rule(2, "^SELECT", hostgroup: 20, apply: true), Rule(1, "^SELECT", hostgroup: 10, apply: true));

        Assert.Equal(10, rules.Evaluate(Input("SELECT 1")).DestinationHostgroup);
    }

    [Fact]
    public void Inactive_rules_are_ignored()
    {
        var rules = BuildOrFail(Rule(1, "^SELECT", 10, apply: true) with { Active = false }, Rule(2, "^SELECT", 20));

        Assert.Equal(20, rules.Evaluate(Input("SELECT 1")).DestinationHostgroup);
        Assert.Equal(1, rules.Count);
    }

    [Fact]
    public void FlagOut_moves_evaluation_to_the_following_rules_with_that_flagIn()
    {
        var rules = BuildOrFail(
            Rule(1, "^SELECT") with { FlagOut = 5 },
            Rule(2, "^SELECT", hostgroup: 99, apply: true),               // flagIN 0: skipped once flagIN is 5
            Rule(3, "FROM orders") with { FlagIn = 5, DestinationHostgroup = 30, Apply = true },
            Rule(4) with { FlagIn = 5, DestinationHostgroup = 40 });

        var orders = rules.Evaluate(Input("SELECT * FROM orders"));
        var other = rules.Evaluate(Input("SELECT * FROM users"));

        Assert.Equal(30, orders.DestinationHostgroup);
        Assert.Equal([1, 3], orders.MatchedRuleIds.ToArray());
        Assert.Equal(40, other.DestinationHostgroup);
        Assert.Equal([1, 4], other.MatchedRuleIds.ToArray());
    }

    [Fact]
    public void FlagOut_only_goes_forward()
    {
        var rules = BuildOrFail(
            Rule(1) with { FlagIn = 7, DestinationHostgroup = 70 },
            Rule(2, "^SELECT") with { FlagOut = 7 });

        var outcome = rules.Evaluate(Input("SELECT 1"));

        Assert.Null(outcome.DestinationHostgroup);
        Assert.Equal([2], outcome.MatchedRuleIds.ToArray());
    }

    [Fact]
    public void Pending_next_query_flagIn_selects_the_chain()
    {
        var rules = BuildOrFail(
            Rule(1, "^SELECT", hostgroup: 10, apply: true) with { NextQueryFlagIn = 3 },
            Rule(2, "^SELECT", hostgroup: 30, apply: true) with { FlagIn = 3 });

        var first = rules.Evaluate(Input("SELECT 1"));
        var second = rules.Evaluate(Input("SELECT 1") with { FlagIn = first.NextQueryFlagIn ?? 0 });

        Assert.Equal(3, first.NextQueryFlagIn);
        Assert.Equal(10, first.DestinationHostgroup);
        Assert.Equal(30, second.DestinationHostgroup);
    }

    [Fact]
    public void Later_non_null_actions_overwrite_earlier_ones_and_nulls_keep_them()
    {
        var rules = BuildOrFail(
            Rule(1, "^SELECT", hostgroup: 10) with { CacheTtl = 5000, Timeout = 100, Multiplex = 0 },
            Rule(2, "^SELECT") with { Timeout = 200, Log = 1, StickyConn = 1, MirrorHostgroup = 7, MirrorFlagOut = 8 },
            Rule(3, "^SELECT") with { Retries = 2, Delay = 50 });

        var outcome = rules.Evaluate(Input("SELECT 1"));

        Assert.Equal(10, outcome.DestinationHostgroup);
        Assert.Equal(5000, outcome.CacheTtl);
        Assert.Equal(200, outcome.Timeout);
        Assert.Equal(0, outcome.Multiplex);
        Assert.Equal(1, outcome.Log);
        Assert.Equal(1, outcome.StickyConn);
        Assert.Equal(7, outcome.MirrorHostgroup);
        Assert.Equal(8, outcome.MirrorFlagOut);
        Assert.Equal(2, outcome.Retries);
        Assert.Equal(50, outcome.Delay);
    }

    [Fact]
    public void Negate_match_pattern_inverts_the_test()
    {
        var rules = BuildOrFail(Rule(1, "^SELECT", hostgroup: 10, apply: true) with { NegateMatchPattern = true });

        Assert.Equal(10, rules.Evaluate(Input("UPDATE t SET a = 1")).DestinationHostgroup);
        Assert.Null(rules.Evaluate(Input("SELECT 1")).DestinationHostgroup);
    }

    [Fact]
    public void Caseless_is_the_default_and_empty_re_modifiers_is_case_sensitive()
    {
        var caseless = BuildOrFail(Rule(1, "^SELECT", hostgroup: 10));
        var caseSensitive = BuildOrFail(Rule(1, "^SELECT", hostgroup: 10) with { ReModifiers = "" });

        Assert.Equal(10, caseless.Evaluate(Input("select 1")).DestinationHostgroup);
        Assert.Null(caseSensitive.Evaluate(Input("select 1")).DestinationHostgroup);
        Assert.Equal(10, caseSensitive.Evaluate(Input("SELECT 1")).DestinationHostgroup);
    }

    [Fact]
    public void Replace_pattern_replaces_the_first_match_unless_global()
    {
        var first = BuildOrFail(Rule(1, "old") with { ReplacePattern = "new" });
        var global = BuildOrFail(Rule(1, "old") with { ReplacePattern = "new", ReModifiers = "CASELESS,GLOBAL" });

        Assert.Equal("SELECT new, old FROM old", first.Evaluate(Input("SELECT old, old FROM old")).RewrittenQuery);
        Assert.Equal("SELECT new, new FROM new", global.Evaluate(Input("SELECT old, OLD FROM old")).RewrittenQuery);
    }

    [Fact]
    public void Replace_pattern_backreferences_use_proxysql_syntax()
    {
        var rules = BuildOrFail(Rule(1, @"^SELECT (\w+) FROM (\w+)") with { ReplacePattern = @"SELECT \1 FROM archive_\2 /* cost $5 */" });

        var outcome = rules.Evaluate(Input("SELECT id FROM orders WHERE x = 1"));

        Assert.Equal("SELECT id FROM archive_orders /* cost $5 */ WHERE x = 1", outcome.RewrittenQuery);
    }

    [Fact]
    public void Later_match_patterns_see_the_rewritten_query()
    {
        var rules = BuildOrFail(
            Rule(1, "FROM orders") with { ReplacePattern = "FROM orders_archive" },
            Rule(2, "orders_archive", hostgroup: 50, apply: true));

        var outcome = rules.Evaluate(Input("SELECT * FROM orders"));

        Assert.Equal(50, outcome.DestinationHostgroup);
        Assert.Equal("SELECT * FROM orders_archive", outcome.RewrittenQuery);
    }

    [Fact]
    public void Error_and_ok_messages_are_returned()
    {
        var rules = BuildOrFail(
            Rule(1, "^DROP", apply: true) with { ErrorMsg = "DROP is not allowed" },
            Rule(2, "^SET sql_log_bin", apply: true) with { OkMsg = "" });

        Assert.Equal("DROP is not allowed", rules.Evaluate(Input("DROP TABLE t")).ErrorMsg);
        Assert.Equal("", rules.Evaluate(Input("SET sql_log_bin = 0")).OkMsg);
    }

    [Fact]
    public void Username_and_schemaname_filters_are_exact()
    {
        var rules = BuildOrFail(
            Rule(1, hostgroup: 10, apply: true) with { Username = "report" },
            Rule(2, hostgroup: 20, apply: true) with { Schemaname = "analytics" });

        Assert.Equal(10, rules.Evaluate(Input("SELECT 1", username: "report")).DestinationHostgroup);
        Assert.Equal(20, rules.Evaluate(Input("SELECT 1", schemaname: "analytics")).DestinationHostgroup);
        Assert.Null(rules.Evaluate(Input("SELECT 1", username: "Report")).DestinationHostgroup);
        Assert.Null(rules.Evaluate(Input("SELECT 1", schemaname: null)).DestinationHostgroup);
    }

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.%", true)]
    [InlineData("10.1.%", false)]
    [InlineData("%", true)]
    [InlineData("10.0.0.50", false)]
    public void Client_addr_is_exact_or_a_prefix_with_percent(string clientAddr, bool matches)
    {
        var rules = BuildOrFail(Rule(1, hostgroup: 10) with { ClientAddr = clientAddr });

        Assert.Equal(matches, rules.Evaluate(Input("SELECT 1")).Matched);
    }

    [Fact]
    public void Proxy_addr_and_port_filters()
    {
        var rules = BuildOrFail(
            Rule(1, hostgroup: 10, apply: true) with { ProxyAddr = "127.0.0.1", ProxyPort = 6034 },
            Rule(2, hostgroup: 20, apply: true) with { ProxyPort = 6033 });

        Assert.Equal(20, rules.Evaluate(Input("SELECT 1")).DestinationHostgroup);
        Assert.Equal(10, rules.Evaluate(Input("SELECT 1") with { ProxyPort = 6034 }).DestinationHostgroup);
    }

    [Fact]
    public void Digest_column_matches_the_digest_hash()
    {
        var hash = QueryDigest.Compute("SELECT * FROM t WHERE id = 1").Hash;
        var rules = BuildOrFail(Rule(1, hostgroup: 10) with { Digest = QueryDigest.FormatHash(hash) });

        var matching = rules.Evaluate(Input("SELECT/**/ * FROM t WHERE id=42;"));
        var other = rules.Evaluate(Input("SELECT * FROM t WHERE id = 1 AND b = 2"));

        Assert.Equal(10, matching.DestinationHostgroup);
        Assert.Equal(hash, matching.Digest?.Hash);
        Assert.Null(other.DestinationHostgroup);
    }

    [Fact]
    public void Match_digest_tests_the_digest_text()
    {
        var rules = BuildOrFail(Rule(1, hostgroup: 10) with { MatchDigest = @"WHERE id=\?$" });

        Assert.Equal(10, rules.Evaluate(Input("SELECT * FROM t WHERE id = 'x'")).DestinationHostgroup);
        Assert.Null(rules.Evaluate(Input("SELECT * FROM t WHERE id = 1 AND a = 2")).DestinationHostgroup);
    }

    [Fact]
    public void Digest_is_computed_only_when_a_rule_needs_it()
    {
        var rules = BuildOrFail(Rule(1, "^SELECT", hostgroup: 10, apply: true), Rule(2, hostgroup: 20) with { MatchDigest = "x" });

        Assert.Null(rules.Evaluate(Input("SELECT 1")).Digest);
        Assert.Equal("INSERT INTO t VALUES (?)", rules.Evaluate(Input("INSERT INTO t VALUES (1)")).Digest?.Text);
    }

    [Fact]
    public void A_digest_passed_in_is_used_as_is()
    {
        var rules = BuildOrFail(Rule(1, hostgroup: 10) with { MatchDigest = "^precomputed$" });
        var input = Input("SELECT 1") with { Digest = new QueryDigestResult("precomputed", 1) };

        Assert.Equal(10, rules.Evaluate(input).DestinationHostgroup);
    }

    [Fact]
    public void Hit_counters_count_every_match()
    {
        var rules = BuildOrFail(SeedRules());

        for (var i = 0; i < 3; i++)
        {
            rules.Evaluate(Input("SELECT 1"));
        }

        rules.Evaluate(Input("SELECT * FROM t FOR UPDATE"));
        Parallel.For(0, 1000, _ => rules.Evaluate(Input("SELECT 1")));

        Assert.Equal([new QueryRuleHits(1, 1), new QueryRuleHits(2, 1004)], rules.GetHits().ToArray());
    }

    [Fact]
    public void Matched_rule_ids_keep_the_first_eight_and_count_all()
    {
        var rules = BuildOrFail([.. Enumerable.Range(1, 10).Select(id => Rule(id, "^SELECT"))]);

        var outcome = rules.Evaluate(Input("SELECT 1"));

        Assert.Equal(10, outcome.MatchedRuleCount);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], outcome.MatchedRuleIds.ToArray());
    }

    [Fact]
    public void A_regex_that_times_out_does_not_match_even_when_negated()
    {
        // The lookahead keeps this catastrophic pattern on the backtracking engine, where the timeout is the bound.
        var options = new QueryRuleSetOptions { RegexMatchTimeout = TimeSpan.FromMilliseconds(1) };
        var result = QueryRuleSet.Build(
            [Rule(1, "^(?=a)(a+)+$", hostgroup: 10), Rule(2, "^(?=a)(a+)+$", hostgroup: 20) with { NegateMatchPattern = true }], options);
        var rules = Assert.IsType<QueryRuleSet>(result.RuleSet);

        var outcome = rules.Evaluate(Input(new string('a', 5000) + "!"));

        Assert.False(outcome.Matched);
        Assert.Equal(2, rules.RegexTimeouts);
    }
}
