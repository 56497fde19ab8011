using System.Runtime.CompilerServices;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// The proxy runs in this process, so the tests set what <c>proxylayer</c>'s Main sets: socket completions inline on
/// the socket engine threads. The tests then exercise the threading the binary runs with, before any socket exists.
/// </summary>
internal static class InlineSocketCompletions
{
    [ModuleInitializer]
    internal static void Enable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
    }
}
