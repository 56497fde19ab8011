namespace ProxyLayer.Programs;

/// <summary>What to run and how: never through a shell, so arguments reach the program exactly as given.</summary>
internal sealed record ProgramLaunch
{
    /// <summary>The file as configured: a path (relative ones from the proxy's working directory) or, with <see cref="SearchPath"/>, a bare name.</summary>
    public required string File { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// A name without a slash is looked up in <c>PATH</c>, as <c>execvp</c> does (ProxySQL's REST routes). Off, it is
    /// taken from the working directory (ProxySQL's scheduler runs the file itself).
    /// </summary>
    public bool SearchPath { get; init; }

    /// <summary>The proxy's environment is passed on (REST routes, as ProxySQL's <c>execvp</c>); otherwise an empty one.</summary>
    public bool InheritEnvironment { get; init; }

    public int StdoutLimit { get; init; } = BoundedOutput.DefaultLimit;

    public int StderrLimit { get; init; } = BoundedOutput.DefaultLimit;
}
