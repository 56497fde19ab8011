using ProxyLayer.Routing;

namespace ProxyLayer.Tests.Routing;

public sealed class QueryAnnotationsTests
{
    private const long Now = 1_700_000_000_000;

    private static QueryAnnotations Parse(string query)
    {
        Assert.True(QueryAnnotations.TryParse(query, Now, out var annotations), $"no annotations in: {query}");
        return annotations;
    }

    [Fact]
    public void Every_supported_key_is_read()
    {
        var a = Parse("/* hostgroup=20;query_timeout=500;query_delay=30;query_retries=2;cache_ttl=1000;mirror=30;max_lag_ms=100;create_new_connection=1 */ SELECT 1");

        Assert.Equal(20, a.Hostgroup);
        Assert.Equal(500, a.QueryTimeout);
        Assert.Equal(30, a.QueryDelay);
        Assert.Equal(2, a.QueryRetries);
        Assert.Equal(1000, a.CacheTtl);
        Assert.Equal(30, a.MirrorHostgroup);
        Assert.Equal(100, a.MaxLagMs);
        Assert.True(a.CreateNewConnection);
    }

    [Theory]
    [InlineData("/*hostgroup=7*/SELECT 1")]
    [InlineData("  \n\t/* hostgroup = 7 */ SELECT 1")]
    [InlineData("/* ;HOSTGROUP=7; */ SELECT 1")]
    [InlineData("/* hostgroup=7abc */ SELECT 1")]
    [InlineData("/* unknown=1; hostgroup=7 ;junk */ SELECT 1")]
    public void Spacing_case_empty_pairs_and_trailing_text_are_tolerated(string query) =>
        Assert.Equal(7, Parse(query).Hostgroup);

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT /* hostgroup=7 */ 1")]
    [InlineData("/* hostgroup=7 SELECT 1")]
    [InlineData("/* just a comment */ SELECT 1")]
    [InlineData("/* hostgroup=-1 */ SELECT 1")]
    [InlineData("/* hostgroup=abc */ SELECT 1")]
    [InlineData("/* hostgroup */ SELECT 1")]
    [InlineData("/* =5 */ SELECT 1")]
    [InlineData("/* create_new_connection=2 */ SELECT 1")]
    [InlineData("-- hostgroup=7\nSELECT 1")]
    [InlineData("")]
    [InlineData("/**/")]
    public void Statements_without_a_leading_annotation_give_nothing(string query)
    {
        Assert.False(QueryAnnotations.TryParse(query, Now, out var annotations));
        Assert.Equal(default, annotations);
    }

    [Fact]
    public void The_last_value_of_a_repeated_key_wins() =>
        Assert.Equal(2, Parse("/* hostgroup=1;hostgroup=2 */ SELECT 1").Hostgroup);

    [Fact]
    public void Min_epoch_ms_becomes_the_lag_it_allows_within_ten_minutes()
    {
        Assert.Equal(2500, Parse($"/* min_epoch_ms={Now - 2500} */ SELECT 1").MaxLagMs);
        Assert.False(QueryAnnotations.TryParse($"/* min_epoch_ms={Now - 700_000} */ SELECT 1", Now, out _));
        Assert.False(QueryAnnotations.TryParse($"/* min_epoch_ms={Now + 10} */ SELECT 1", Now, out _));
        Assert.False(QueryAnnotations.TryParse("/* max_lag_ms=600001 */ SELECT 1", Now, out _));
    }

    [Fact]
    public void Huge_values_are_ignored_not_wrapped()
    {
        Assert.False(QueryAnnotations.TryParse("/* hostgroup=99999999999999999999999 */ SELECT 1", Now, out _));
        Assert.Equal(int.MaxValue, Parse("/* query_timeout=99999999999 */ SELECT 1").QueryTimeout);
    }

    [Fact]
    public void Only_the_first_kilobyte_of_the_comment_is_read()
    {
        var padding = new string(' ', QueryAnnotations.MaxCommentLength);
        Assert.Equal(3, Parse($"/* hostgroup=3;{padding}query_timeout=9 */ SELECT 1").Hostgroup);
        Assert.Null(Parse($"/* hostgroup=3;{padding}query_timeout=9 */ SELECT 1").QueryTimeout);
    }

    [Theory]
    [InlineData("/* min_gtid=0-1-42 */ SELECT 1", "0-1-42")]
    [InlineData("/* hostgroup=20; min_gtid = 0-1-42,1-2-7 */ SELECT 1", "0-1-42,1-2-7")]
    [InlineData("/* MIN_GTID=3-3-3 */ SELECT 1", "3-3-3")]
    public void Min_gtid_keeps_the_gtid_list_as_written(string query, string expected) =>
        Assert.Equal(expected, Parse(query).MinGtid);

    [Theory]
    [InlineData("/* min_gtid=0-1 */ SELECT 1")]
    [InlineData("/* min_gtid=abc */ SELECT 1")]
    [InlineData("/* min_gtid=0-1-2,x */ SELECT 1")]
    [InlineData("/* min_gtid= */ SELECT 1")]
    public void A_min_gtid_that_is_not_a_gtid_list_is_ignored(string query) =>
        Assert.False(QueryAnnotations.TryParse(query, Now, out _));
}
