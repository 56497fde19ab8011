using System.Collections.Immutable;
using System.Globalization;
using ProxyLayer.Config;
using ProxyLayer.Routing;

namespace ProxyLayer.Stats;

/// <summary>The variables that shape what <see cref="QueryStatistics"/> records. Swapped whole on a LOAD … TO RUNTIME.</summary>
internal sealed record QueryStatisticsOptions
{
    public const int DefaultMaxDigestEntries = 10_000;

    public static QueryStatisticsOptions Default { get; } = new();

    /// <summary><c>mysql-query_digests</c>: fill <c>stats_mysql_query_digest</c>.</summary>
    public bool DigestsEnabled { get; init; } = true;

    /// <summary><c>mysql-commands_stats</c>: fill <c>stats_mysql_commands_counters</c>.</summary>
    public bool CommandsEnabled { get; init; } = true;

    /// <summary><c>mysql-query_digests_track_hostname</c>: key digests on the client address too (otherwise '').</summary>
    public bool TrackClientAddress { get; init; }

    /// <summary><c>mysql-long_query_time</c> in µs: slower statements count in <c>Slow_queries</c>.</summary>
    public long SlowQueryMicroseconds { get; init; } = 1_000_000;

    /// <summary>At most this many digest keys are kept; statements of further keys count as overflow.</summary>
    public int MaxDigestEntries { get; init; } = DefaultMaxDigestEntries;

    public QueryDigestOptions Digest { get; init; } = QueryDigestOptions.Default;

    /// <summary>The options a runtime snapshot asks for (its typed settings, plus a few variables read as text).</summary>
    public static QueryStatisticsOptions From(RuntimeSnapshot snapshot, int maxDigestEntries = DefaultMaxDigestEntries)
    {
        var settings = snapshot.Settings;
        var variables = snapshot.Config.Variables;
        return new QueryStatisticsOptions
        {
            DigestsEnabled = settings.QueryDigests,
            CommandsEnabled = settings.CommandsStats,
            TrackClientAddress = Bool(variables, "mysql-query_digests_track_hostname", false),
            SlowQueryMicroseconds = Int(variables, "mysql-long_query_time", 1000) * 1000L,
            MaxDigestEntries = maxDigestEntries,
            Digest = new QueryDigestOptions
            {
                MaxQueryLength = settings.QueryDigestsMaxQueryLength,
                MaxDigestLength = settings.QueryDigestsMaxDigestLength,
                Lowercase = settings.QueryDigestsLowercase,
                NoDigits = settings.QueryDigestsNoDigits,
                GroupingLimit = settings.QueryDigestsGroupingLimit,
                GroupsGroupingLimit = Int(variables, "mysql-query_digests_groups_grouping_limit", QueryDigestOptions.Default.GroupsGroupingLimit),
                ReplaceNull = Bool(variables, "mysql-query_digests_replace_null", false),
                KeepComment = Bool(variables, "mysql-query_digests_keep_comment", false),
            },
        };
    }

    private static bool Bool(ImmutableSortedDictionary<string, string> variables, string name, bool fallback) =>
        variables.TryGetValue(name, out var text)
            ? text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1"
            : fallback;

    private static int Int(ImmutableSortedDictionary<string, string> variables, string name, int fallback) =>
        variables.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
