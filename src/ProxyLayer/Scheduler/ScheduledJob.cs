using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Programs;

namespace ProxyLayer.Scheduler;

/// <summary>
/// One active <c>scheduler</c> row at work: a single loop that waits for the due time, runs the program and waits for
/// it to end, so two runs of the row cannot overlap. The first run is one interval after the job starts, as in ProxySQL.
/// </summary>
internal sealed partial class ScheduledJob : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly Func<TimeSpan> _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _lastStartError;

    private ScheduledJob(SchedulerJobConfig config, Func<TimeSpan> timeout, TimeProvider time, ILogger logger)
    {
        Config = config;
        _timeout = timeout;
        _time = time;
        _logger = logger;
    }

    public SchedulerJobConfig Config { get; }

    /// <summary>Completes when the loop has ended: stopped, and its last run over.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <param name="predecessor">
    /// The loop of the same id's previous version (a changed row), which may still have a run going: this job's first
    /// run waits for it, so a reload cannot make one row run twice at once either.
    /// </param>
    public static ScheduledJob Start(SchedulerJobConfig config, Task predecessor, Func<TimeSpan> timeout, TimeProvider time, ILogger logger)
    {
        var job = new ScheduledJob(config, timeout, time, logger);
        job.Completion = Task.Run(() => job.RunAsync(predecessor));
        return job;
    }

    /// <summary>No more runs; a run going on finishes (within <c>admin-scheduler_timeout_ms</c>).</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>No more runs, and a run going on is killed now (the proxy is stopping).</summary>
    public void Kill()
    {
        _stop.Cancel();
        _kill.Cancel();
    }

    /// <summary>Only once <see cref="Completion"/> has completed: the loop no longer uses the tokens.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _kill.Dispose();
    }

    private async Task RunAsync(Task predecessor)
    {
        var intervalTicks = Config.IntervalMs * _time.TimestampFrequency / 1000;
        var due = _time.GetTimestamp() + intervalTicks;
        LogStarted(Config.Id, Config.Filename, Config.IntervalMs);
        try
        {
            await predecessor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            while (!_stop.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds((double)(due - _time.GetTimestamp()) / _time.TimestampFrequency);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
                var result = await ProgramRunner.RunAsync(Config.Filename, Config.Arguments, _timeout(), _time, _kill.Token).ConfigureAwait(false);
                Report(result);
                (due, var skipped) = RunCadence.After(due, _time.GetTimestamp(), intervalTicks);
                // Said when the program's own length caused it; a loop woken late (a starved machine) is only a debug line.
                if (skipped > 0 && result.End != ProgramRunEnd.KilledAtShutdown)
                {
                    if (result.Elapsed.TotalMilliseconds >= Config.IntervalMs)
                        LogRunsSkipped(Config.Id, Config.Filename, (long)result.Elapsed.TotalMilliseconds, Config.IntervalMs, skipped);
                    else
                        LogLateRunsSkipped(Config.Id, Config.Filename, skipped);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Nothing above should throw; if it does the row stops, loudly, and the proxy goes on.
            LogLoopFailed(e, Config.Id, Config.Filename);
            return;
        }
        LogStopped(Config.Id, Config.Filename);
    }

    private void Report(ProgramRunResult result)
    {
        int id = Config.Id;
        string file = Config.Filename;
        long ms = (long)result.Elapsed.TotalMilliseconds;
        switch (result.End)
        {
            case ProgramRunEnd.NotStarted:
                // Said once per cause, not every interval: a missing file would otherwise fill the log.
                if (result.StartError != _lastStartError)
                    LogNotStarted(id, file, result.StartError!);
                _lastStartError = result.StartError;
                return;
            case ProgramRunEnd.TimedOut:
                LogTimedOut(id, file, ms, result.Stdout!.ToString(), result.Stderr!.ToString());
                break;
            case ProgramRunEnd.KilledAtShutdown:
                LogKilledAtShutdown(id, file);
                break;
            case ProgramRunEnd.Exited when result.ExitCode == 0:
                LogExited(id, file, 0, ms, result.Stdout!.ToString(), result.Stderr!.ToString());
                break;
            default:
                LogFailed(id, file, result.ExitCode, ms, result.Stdout!.ToString(), result.Stderr!.ToString());
                break;
        }
        _lastStartError = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler id={Id}: {Filename} every {IntervalMs} ms")]
    private partial void LogStarted(int id, string filename, int intervalMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler id={Id}: {Filename} no longer scheduled")]
    private partial void LogStopped(int id, string filename);

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler id={Id}: {Filename} exited {ExitCode} after {Ms} ms; stdout: \"{Stdout}\"; stderr: \"{Stderr}\"")]
    private partial void LogExited(int id, string filename, int exitCode, long ms, string stdout, string stderr);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scheduler id={Id}: {Filename} exited {ExitCode} after {Ms} ms; stdout: \"{Stdout}\"; stderr: \"{Stderr}\"")]
    private partial void LogFailed(int id, string filename, int? exitCode, long ms, string stdout, string stderr);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scheduler id={Id}: {Filename} still running after {Ms} ms (admin-scheduler_timeout_ms): killed with its children; stdout: \"{Stdout}\"; stderr: \"{Stderr}\"")]
    private partial void LogTimedOut(int id, string filename, long ms, string stdout, string stderr);

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler id={Id}: {Filename} killed with its children: the proxy is stopping")]
    private partial void LogKilledAtShutdown(int id, string filename);

    [LoggerMessage(Level = LogLevel.Error, Message = "scheduler id={Id}: cannot run {Filename}: {Error}; will try again every interval (said again only if the cause changes)")]
    private partial void LogNotStarted(int id, string filename, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scheduler id={Id}: {Filename} ran {Ms} ms, longer than its interval_ms {IntervalMs}: {Skipped} run(s) skipped, so two never overlap")]
    private partial void LogRunsSkipped(int id, string filename, long ms, int intervalMs, long skipped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "scheduler id={Id}: {Filename} started late: {Skipped} due time(s) passed, skipped")]
    private partial void LogLateRunsSkipped(int id, string filename, long skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "scheduler id={Id}: {Filename}: the job failed and stopped")]
    private partial void LogLoopFailed(Exception exception, int id, string filename);
}
