using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// What the <c>scheduler</c> table's constraints guarantee, checked again for rows that reach the runtime another way
/// (the config file at start, a test): one row per id, an interval in range, a file name.
/// </summary>
internal static class SchedulerRowValidation
{
    public static IEnumerable<string> Errors(ImmutableArray<SchedulerJobConfig> rows)
    {
        var ids = new HashSet<int>();
        foreach (var row in rows)
        {
            if (!ids.Add(row.Id))
                yield return $"scheduler (id={row.Id}): duplicate id";
            if (row.IntervalMs is < SchedulerJobConfig.MinIntervalMs or > SchedulerJobConfig.MaxIntervalMs)
                yield return $"scheduler (id={row.Id}): interval_ms {row.IntervalMs} is out of range " +
                    $"({SchedulerJobConfig.MinIntervalMs}..{SchedulerJobConfig.MaxIntervalMs})";
            if (string.IsNullOrEmpty(row.Filename))
                yield return $"scheduler (id={row.Id}): filename is empty";
        }
    }
}
