namespace ProxyLayer.Scheduler;

/// <summary>How one run of a scheduler program ended.</summary>
internal enum ProgramRunEnd
{
    /// <summary>It exited by itself; <see cref="ProgramRunResult.ExitCode"/> says how.</summary>
    Exited,
    /// <summary>It ran past <c>admin-scheduler_timeout_ms</c> and was killed with its children.</summary>
    TimedOut,
    /// <summary>The proxy stopped while it ran; it was killed with its children.</summary>
    KilledAtShutdown,
    /// <summary>It could not be started (no such file, not executable): <see cref="ProgramRunResult.StartError"/> says why.</summary>
    NotStarted,
}

internal sealed record ProgramRunResult(ProgramRunEnd End, int? ExitCode, string? StartError, BoundedOutput? Stdout, BoundedOutput? Stderr, TimeSpan Elapsed)
{
    public static ProgramRunResult NotStarted(string error) => new(ProgramRunEnd.NotStarted, null, error, null, null, TimeSpan.Zero);

    public bool Succeeded => End == ProgramRunEnd.Exited && ExitCode == 0;
}
