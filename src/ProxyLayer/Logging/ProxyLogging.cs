using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ProxyLayer.Logging;

/// <summary>One human-readable line per event: time, level, source, message (see <see cref="OneLineFormatter"/>).</summary>
internal static class ProxyLogging
{
    // The formatter is registered directly rather than with AddConsoleFormatter, whose options binding needs
    // reflection that a Native AOT build cannot keep; the formatter has no options.
    public static ILoggerFactory CreateFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(minimum)
                .AddConsole(options => options.FormatterName = OneLineFormatter.FormatterName);
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, OneLineFormatter>());
        });
}
