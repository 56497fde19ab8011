using System.ComponentModel;
using System.Diagnostics;

namespace ProxyLayer.Programs;

/// <summary>
/// Runs one program once, as ProxySQL's scheduler and REST routes do: the file itself, no shell, the arguments as
/// given, standard input closed. Its output is kept up to the launch's limits per stream (the rest read and dropped),
/// and it is killed with its children when it outlives the timeout or the caller stops waiting.
/// </summary>
internal static class ProgramRunner
{
    private const int Enoent = 2;

    /// <summary>
    /// After the program exits, how long its output may still be read: a child it left behind may hold the pipe open
    /// forever, and the run is over anyway.
    /// </summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    /// <summary>A process killed with SIGKILL is gone at once; this bounds the wait for a process stuck in the kernel.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    /// <summary>The scheduler's way: the file from the working directory, an empty environment, 4 KiB of each stream.</summary>
    public static Task<ProgramRunResult> RunAsync(string filename, IReadOnlyList<string> arguments, TimeSpan timeout,
        TimeProvider time, CancellationToken shutdown) =>
        RunAsync(new ProgramLaunch { File = filename, Arguments = arguments }, timeout, time, shutdown);

    /// <param name="stop">Kills the program (<see cref="ProgramRunEnd.KilledAtShutdown"/>).</param>
    public static async Task<ProgramRunResult> RunAsync(ProgramLaunch launch, TimeSpan timeout, TimeProvider time, CancellationToken stop)
    {
        string? path;
        try
        {
            path = launch.SearchPath && !launch.File.Contains('/', StringComparison.Ordinal) ? FindInPath(launch.File) : Path.GetFullPath(launch.File);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ProgramRunResult.NotStarted($"not a usable file name: {e.Message}", 0);
        }
        if (path is null)
            return ProgramRunResult.NotStarted($"{new Win32Exception(Enoent).Message} (errno {Enoent}): '{launch.File}' is not in PATH", Enoent);
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in launch.Arguments)
            info.ArgumentList.Add(argument);
        if (!launch.InheritEnvironment)
            info.Environment.Clear();

        using var process = new Process { StartInfo = info };
        var started = time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            // The errno's own text ("No such file or directory"): .NET's message wraps it in a sentence about working directories.
            return e is Win32Exception native
                ? ProgramRunResult.NotStarted($"{new Win32Exception(native.NativeErrorCode).Message} (errno {native.NativeErrorCode})", native.NativeErrorCode)
                : ProgramRunResult.NotStarted(e.Message, 0);
        }
        process.StandardInput.Close();
        var stdout = new BoundedOutput(launch.StdoutLimit);
        var stderr = new BoundedOutput(launch.StderrLimit);
        var reading = Task.WhenAll(stdout.DrainAsync(process.StandardOutput.BaseStream), stderr.DrainAsync(process.StandardError.BaseStream));

        var end = ProgramRunEnd.Exited;
        using (var deadline = new CancellationTokenSource(timeout, time))
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stop))
        {
            try
            {
                await process.WaitForExitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                end = stop.IsCancellationRequested ? ProgramRunEnd.KilledAtShutdown : ProgramRunEnd.TimedOut;
                Kill(process);
                await WaitBoundedAsync(process.WaitForExitAsync(CancellationToken.None), KillGrace, time).ConfigureAwait(false);
            }
        }
        await WaitBoundedAsync(reading, OutputGrace, time).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        int? exitCode = process.HasExited ? process.ExitCode : null;
        return new ProgramRunResult(end, exitCode, null, stdout, stderr, elapsed);
    }

    /// <summary>
    /// <c>execvp</c>'s search: each <c>PATH</c> directory in order (an empty entry is the working directory; no PATH
    /// means <c>/bin:/usr/bin</c>), the first executable file wins, else the first file found (its start then says why it
    /// cannot run); null when there is none.
    /// </summary>
    private static string? FindInPath(string name)
    {
        if (name.Length == 0)
            return null;
        string? found = null;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/bin:/usr/bin").Split(':'))
        {
            var candidate = Path.GetFullPath(Path.Combine(directory.Length == 0 ? "." : directory, name));
            if (!File.Exists(candidate))
                continue;
            if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
            found ??= candidate;
        }
        return found;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private static async Task WaitBoundedAsync(Task task, TimeSpan bound, TimeProvider time)
    {
        try
        {
            await task.WaitAsync(bound, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Given up on: disposing the process closes our ends of its pipes, which ends the reads.
        }
    }
}
