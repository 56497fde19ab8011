using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Protocol.Serialization;
using ProxyLayer.Routing;
using ProxyLayer.Stats;

namespace ProxyLayer.EventsLog;

/// <summary>
/// ProxySQL's events log (<c>mysql-eventslog_*</c>): statements whose rule says <c>log=1</c>, or every statement with
/// <c>mysql-eventslog_default_log=1</c>, written one event at a time to rotating files. Sessions only hand events to a
/// bounded queue (never waiting: when it is full the event is dropped and counted); one background task formats and
/// writes them, and follows changes of the variables at the next event.
/// </summary>
internal sealed partial class QueryEventsLog : IAsyncDisposable
{
    /// <summary>Events that may wait for the writer; beyond this a burst is dropped rather than slowing clients.</summary>
    public const int QueueCapacity = 64 * 1024;

    private readonly Channel<QueryEvent> _queue = Channel.CreateBounded<QueryEvent>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly RuntimeConfigManager _runtime;
    private readonly QueryStatistics _statistics;
    private readonly EventsLogFile _file;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private int _rotateRequested;
    private long _accepted;
    private long _taken;
    private long _flushedThrough;
    private long _written;
    private long _dropped;
    private TaskCompletionSource _batchFlushed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueryEventsLog(RuntimeConfigManager runtime, QueryStatistics statistics, string datadir, ILogger<QueryEventsLog> logger)
    {
        _runtime = runtime;
        _statistics = statistics;
        _file = new EventsLogFile(datadir);
        _logger = logger;
        // A new file name (or the log turned off) takes effect at once, not at the next logged statement.
        runtime.Changed += _ => Wake();
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Cheap test for the session: is a file name configured at all.</summary>
    public bool IsEnabled => _runtime.Snapshot.Settings.EventslogFilename.Length > 0;

    /// <summary><c>mysql-eventslog_default_log=1</c>: statements whose rules leave <c>log</c> unset are logged.</summary>
    public bool LogsByDefault => _runtime.Snapshot.Settings.EventslogDefaultLog == 1;

    public long Written => Interlocked.Read(ref _written);
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The path of the file being written, if any.</summary>
    public string? CurrentPath => _file.CurrentPath;

    /// <summary>Queues <paramref name="e"/> for the writer; never waits.</summary>
    public void Write(in QueryEvent e)
    {
        if (_queue.Writer.TryWrite(e))
            Interlocked.Increment(ref _accepted);
        else
            Interlocked.Increment(ref _dropped);
    }

    /// <summary><c>PROXYSQL FLUSH LOGS</c>: the writer closes the current file and opens the next one.</summary>
    public void Rotate()
    {
        Interlocked.Exchange(ref _rotateRequested, 1);
        Wake();
    }

    /// <summary>Completes once every event queued before the call has been written and flushed to the file.</summary>
    public async Task FlushAsync()
    {
        var target = Interlocked.Read(ref _accepted);
        while (true)
        {
            var batchFlushed = Volatile.Read(ref _batchFlushed);
            if (Interlocked.Read(ref _flushedThrough) >= target || _writer.IsCompleted)
                return;
            Wake();
            await batchFlushed.Task.ConfigureAwait(false);
        }
    }

    /// <summary>An event without a query only wakes the writer (to reopen, rotate or flush).</summary>
    private void Wake() => _queue.Writer.TryWrite(default);

    private async Task WriteLoopAsync()
    {
        var scratch = new PayloadWriter(1024);
        Utf8JsonWriter? json = null;
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var settings = _runtime.Snapshot.Settings;
                Reconfigure(settings);
                while (reader.TryRead(out var e))
                {
                    if (e.Query is null)
                        continue;
                    _taken++;
                    if (_file.Stream is not { } stream)
                        continue;
                    try
                    {
                        WriteEvent(stream, scratch, ref json, e, settings.EventslogFormat);
                        Interlocked.Increment(ref _written);
                        if (_file.Length > settings.EventslogFilesize)
                            ReportOpenError(_file.Rotate());
                    }
                    catch (IOException ex)
                    {
                        LogWriteFailed(_file.CurrentPath, ex.Message);
                        ReportOpenError(_file.Rotate());
                    }
                }
                FlushFile();
                SignalFlushed();
            }
        }
        finally
        {
            json?.Dispose();
            scratch.Dispose();
            _file.Dispose();
            SignalFlushed();
        }
    }

    private void SignalFlushed()
    {
        Interlocked.Exchange(ref _flushedThrough, _taken);
        Interlocked.Exchange(ref _batchFlushed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void Reconfigure(MySqlVariables settings)
    {
        ReportOpenError(_file.Configure(settings.EventslogFilename));
        if (Interlocked.Exchange(ref _rotateRequested, 0) == 1)
            ReportOpenError(_file.Rotate());
    }

    private void WriteEvent(Stream stream, PayloadWriter scratch, ref Utf8JsonWriter? json, in QueryEvent e, int format)
    {
        var digest = e.Digest ?? QueryDigest.Compute(e.Query, _statistics.Options.Digest).Hash;
        if (format == 1)
        {
            EventBinaryFormat.Write(stream, scratch, e, digest);
            return;
        }
        scratch.Clear();
        EventJsonFormat.Write(scratch, ref json, e, digest);
        stream.Write(scratch.Payload);
    }

    private void FlushFile()
    {
        try
        {
            _file.Flush();
        }
        catch (IOException ex)
        {
            LogWriteFailed(_file.CurrentPath, ex.Message);
        }
    }

    private void ReportOpenError(Exception? error)
    {
        if (error is not null)
            LogOpenFailed(_file.BasePath(_runtime.Snapshot.Settings.EventslogFilename), error.Message);
        else if (_file.CurrentPath is { } path && !string.Equals(path, _lastReportedPath, StringComparison.Ordinal))
        {
            _lastReportedPath = path;
            LogFileStarted(path);
        }
    }

    private string? _lastReportedPath;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "events log: writing {Path}")]
    private partial void LogFileStarted(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "events log: cannot open a file for {BasePath}: {Error}; events are dropped until the next rotation or a new mysql-eventslog_filename")]
    private partial void LogOpenFailed(string basePath, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "events log: writing {Path} failed: {Error}")]
    private partial void LogWriteFailed(string? path, string error);
}
