using Microsoft.Extensions.Logging;

namespace ProxyLayer.Logging;

/// <summary>One human-readable line per event: time, level, source, message (see <see cref="OneLineFormatter"/>).</summary>
internal static class ProxyLogging
{
    public static ILoggerFactory CreateFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddConsole(options => options.FormatterName = OneLineFormatter.FormatterName)
            .AddConsoleFormatter<OneLineFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>());
}
