using System.Runtime.InteropServices;

namespace ProxyLayer.Networking.Epoll;

/// <summary>
/// The proxy's own socket engine for the data path: one <see cref="EpollLoop"/> per core (PROXYLAYER_EPOLL_THREADS
/// changes the count), sockets spread over them round-robin. Why not .NET's: its engine tries every read before
/// waiting (one EAGAIN per statement and side) and waits for a client with a one-byte peek before reading, about two
/// extra system calls per statement side (benchmarks/PROFILE.md §10). Linux x86-64 only; elsewhere, or with
/// PROXYLAYER_SOCKETS=dotnet, <see cref="Shared"/> is null and the transports use .NET's sockets.
/// </summary>
internal sealed class EpollEngine
{
    private readonly EpollLoop[] _loops;
    private int _next;

    private EpollEngine(int threads)
    {
        _loops = new EpollLoop[threads];
        for (var i = 0; i < threads; i++)
            _loops[i] = EpollLoop.Create($"proxylayer-epoll-{i}");
    }

    public static EpollEngine? Shared { get; } = TryCreate();

    public int Threads => _loops.Length;

    public EpollLoop NextLoop() => _loops[(uint)Interlocked.Increment(ref _next) % (uint)_loops.Length];

    private static EpollEngine? TryCreate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 ||
            string.Equals(Environment.GetEnvironmentVariable("PROXYLAYER_SOCKETS"), "dotnet", StringComparison.OrdinalIgnoreCase))
            return null;
        var threads = int.TryParse(Environment.GetEnvironmentVariable("PROXYLAYER_EPOLL_THREADS"), out var n) && n > 0
            ? Math.Min(n, 64) : Environment.ProcessorCount;
        try
        {
            return new EpollEngine(threads);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or IOException)
        {
            Console.Error.WriteLine($"proxylayer: epoll transport unavailable ({ex.Message}); using .NET sockets");
            return null;
        }
    }
}
