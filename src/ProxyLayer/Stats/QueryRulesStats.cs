using Microsoft.Data.Sqlite;
using ProxyLayer.Config;

namespace ProxyLayer.Stats;

/// <summary>Fills <c>stats_mysql_query_rules</c> (rule_id, hits) from the running rule set.</summary>
internal static class QueryRulesStats
{
    public const string Table = "stats_mysql_query_rules";

    public static void Write(SqliteConnection connection, RuntimeSnapshot snapshot)
    {
        using var table = StatsTableWriter.Replace(connection, Table, "rule_id", "hits");
        foreach (var rule in snapshot.Rules.GetHits())
            table.Add(rule.RuleId, rule.Hits);
    }
}
