using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Scheduler;

/// <summary>
/// What a new set of <c>scheduler</c> rows changes in what runs: jobs to stop (row gone, inactive or changed), jobs to
/// start (new active row, or a changed one, which is in both lists) and jobs left alone, their cadence undisturbed.
/// A change to the comment alone keeps the job: it changes nothing about the runs.
/// </summary>
internal sealed record SchedulerPlan(ImmutableArray<int> Stop, ImmutableArray<SchedulerJobConfig> Start, ImmutableArray<int> Keep)
{
    public bool ChangesNothing => Stop.IsEmpty && Start.IsEmpty;

    /// <param name="running">The rows of the jobs running now, by id.</param>
    /// <param name="rows">Every row of the new runtime, inactive ones included.</param>
    public static SchedulerPlan Between(IReadOnlyDictionary<int, SchedulerJobConfig> running, ImmutableArray<SchedulerJobConfig> rows)
    {
        var wanted = rows.Where(r => r.Active).ToDictionary(r => r.Id);
        var stop = ImmutableArray.CreateBuilder<int>();
        var start = ImmutableArray.CreateBuilder<SchedulerJobConfig>();
        var keep = ImmutableArray.CreateBuilder<int>();
        foreach (var (id, current) in running.OrderBy(r => r.Key))
        {
            if (!wanted.TryGetValue(id, out var next))
                stop.Add(id);
            else if (SameRuns(current, next))
                keep.Add(id);
            else
            {
                stop.Add(id);
                start.Add(next);
            }
        }
        foreach (var row in wanted.Values.Where(r => !running.ContainsKey(r.Id)).OrderBy(r => r.Id))
            start.Add(row);
        return new SchedulerPlan(stop.ToImmutable(), [.. start.OrderBy(r => r.Id)], keep.ToImmutable());
    }

    private static bool SameRuns(SchedulerJobConfig a, SchedulerJobConfig b) => a with { Comment = "" } == b with { Comment = "" };
}
