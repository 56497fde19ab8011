using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ProxyLayer.Logging;

/// <summary>One human-readable line per event: time, level, source, message.</summary>
internal static class ProxyLogging
{
    public static ILoggerFactory CreateFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
                options.UseUtcTimestamp = false;
                options.ColorBehavior = LoggerColorBehavior.Disabled;
                options.IncludeScopes = false;
            }));
}
