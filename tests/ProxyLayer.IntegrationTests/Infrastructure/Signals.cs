using System.Runtime.InteropServices;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>POSIX signals the <see cref="System.Diagnostics.Process"/> API does not offer.</summary>
internal static partial class Signals
{
    // Linux numbers (x86-64 and arm64 agree on these four).
    public const int Kill = 9;
    public const int Terminate = 15;
    public const int Continue = 18;
    public const int Stop = 19;

    public static void Send(int processId, int signal)
    {
        if (SendSignal(processId, signal) != 0)
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);
}
