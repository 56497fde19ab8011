using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ProxyLayer.Logging;

/// <summary>
/// <c>2026-11-24 07:08:22.045 INFO  [mysql] message</c>: one line per event, the level spelled out, the source as a
/// short name (the class, without namespace), exceptions on the same line.
/// </summary>
internal sealed class OneLineFormatter : ConsoleFormatter
{
    public const string FormatterName = "proxylayer";

    public OneLineFormatter() : base(FormatterName)
    {
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;
        var category = logEntry.Category;
        var dot = category.LastIndexOf('.');
        if (dot >= 0)
            category = category[(dot + 1)..];
        textWriter.Write(DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss.fff ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(" [");
        textWriter.Write(category);
        textWriter.Write("] ");
        textWriter.Write(message?.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(" | ");
            textWriter.Write(exception.ToString().ReplaceLineEndings(" ⏎ "));
        }
        textWriter.WriteLine();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "     ",
    };
}
