namespace ProxyLayer.Scheduler;

/// <summary>
/// When a job's next run is due. Runs keep a fixed rate (due times are multiples of the interval after the first),
/// so a run's own length does not shift later ones; a due time passed while the previous run was still going is
/// skipped, never caught up on, so one row's program never runs twice at once and never in a burst.
/// </summary>
internal static class RunCadence
{
    /// <param name="due">The due time of the run that just ended (a <see cref="TimeProvider"/> timestamp).</param>
    /// <param name="now">Now, when that run ended.</param>
    /// <returns>The first due time after <paramref name="now"/> on the job's grid, and how many due times were skipped.</returns>
    public static (long Next, long Skipped) After(long due, long now, long interval)
    {
        var next = due + interval;
        if (next > now)
            return (next, 0);
        var behind = (now - next) / interval + 1;
        return (next + behind * interval, behind);
    }
}
