using System.ComponentModel;
using System.Diagnostics;

namespace ProxyLayer.Scheduler;

/// <summary>
/// Runs one program once, the way ProxySQL's scheduler does: the file itself (no shell, no PATH search: a relative name
/// is relative to the proxy's working directory), the arguments as given, an empty environment, standard input closed.
/// Its output is kept up to <see cref="BoundedOutput.Limit"/> bytes per stream, and it is killed with its children
/// when it outlives the timeout or the proxy stops.
/// </summary>
internal static class ProgramRunner
{
    /// <summary>
    /// After the program exits, how long its output may still be read: a child it left behind may hold the pipe open
    /// forever, and the run is over anyway.
    /// </summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    /// <summary>A process killed with SIGKILL is gone at once; this bounds the wait for a process stuck in the kernel.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    public static async Task<ProgramRunResult> RunAsync(string filename, IReadOnlyList<string> arguments, TimeSpan timeout,
        TimeProvider time, CancellationToken shutdown)
    {
        string path;
        try
        {
            path = Path.GetFullPath(filename);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ProgramRunResult.NotStarted($"not a usable file name: {e.Message}");
        }
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
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
            return ProgramRunResult.NotStarted(e is Win32Exception native
                ? $"{new Win32Exception(native.NativeErrorCode).Message} (errno {native.NativeErrorCode})"
                : e.Message);
        }
        process.StandardInput.Close();
        var stdout = new BoundedOutput();
        var stderr = new BoundedOutput();
        var reading = Task.WhenAll(stdout.DrainAsync(process.StandardOutput.BaseStream), stderr.DrainAsync(process.StandardError.BaseStream));

        var end = ProgramRunEnd.Exited;
        using (var deadline = new CancellationTokenSource(timeout, time))
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, shutdown))
        {
            try
            {
                await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                end = shutdown.IsCancellationRequested ? ProgramRunEnd.KilledAtShutdown : ProgramRunEnd.TimedOut;
                Kill(process);
                await WaitBoundedAsync(process.WaitForExitAsync(CancellationToken.None), KillGrace, time).ConfigureAwait(false);
            }
        }
        await WaitBoundedAsync(reading, OutputGrace, time).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        int? exitCode = process.HasExited ? process.ExitCode : null;
        return new ProgramRunResult(end, exitCode, null, stdout, stderr, elapsed);
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
