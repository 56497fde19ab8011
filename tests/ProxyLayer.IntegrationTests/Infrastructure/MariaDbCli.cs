namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The <c>mariadb</c> command-line client as a subprocess, always with <c>--no-defaults</c>.</summary>
public static class MariaDbCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments,
        string? standardInput = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var executable = RigEnvironment.FindExecutable("mariadb");
        return ProcessRunner.RunAsync(
            executable,
            ["--no-defaults", .. arguments],
            standardInput,
            timeout ?? DefaultTimeout,
            cancellationToken);
    }

    /// <summary>Arguments for a TCP connection; add <c>-e</c>, <c>--batch</c> etc. after them.</summary>
    public static IReadOnlyList<string> TcpArguments(string host, int port, string user, string password, string? database = null)
    {
        List<string> arguments =
        [
            "--protocol=TCP",
            $"--host={host}",
            $"--port={port}",
            $"--user={user}",
            $"--password={password}",
        ];
        if (database is not null)
            arguments.Add($"--database={database}");
        return arguments;
    }
}
