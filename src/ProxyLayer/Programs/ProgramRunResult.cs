namespace ProxyLayer.Programs;

/// <summary>How one run of a program ended.</summary>
internal enum ProgramRunEnd
{
    /// <summary>It exited by itself; <see cref="ProgramRunResult.ExitCode"/> says how.</summary>
    Exited,
    /// <summary>It ran past its timeout and was killed with its children.</summary>
    TimedOut,
    /// <summary>Its caller stopped waiting (the proxy or the server stopping, the client gone); it was killed with its children.</summary>
    KilledAtShutdown,
    /// <summary>It could not be started (no such file, not executable): <see cref="ProgramRunResult.StartError"/> says why.</summary>
    NotStarted,
}

internal sealed record ProgramRunResult(ProgramRunEnd End, int? ExitCode, string? StartError, BoundedOutput? Stdout, BoundedOutput? Stderr, TimeSpan Elapsed)
{
    public static ProgramRunResult NotStarted(string error, int errno) =>
        new(ProgramRunEnd.NotStarted, null, error, null, null, TimeSpan.Zero) { StartErrno = errno };

    /// <summary>The errno of a start that failed (ENOENT, EACCES…), 0 when the cause was not a system call's.</summary>
    public int StartErrno { get; init; }

    public bool Succeeded => End == ProgramRunEnd.Exited && ExitCode == 0;
}
