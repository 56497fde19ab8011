using System.Runtime.InteropServices;

namespace ProxyLayer.Networking.Epoll;

/// <summary>
/// The proxy's own socket engine for the data path: one <see cref="EpollLoop"/> per two cores (PROXYLAYER_EPOLL_THREADS
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

    /// <summary>
    /// The loop of the calling thread, when it is one: a backend connection opened by a session runs on its client's
    /// loop, so the statement's two halves (the client's command, the server's answer) wake the same thread.
    /// </summary>
    public EpollLoop CurrentOrNextLoop() => EpollLoop.Current ?? NextLoop();

    /// <summary>
    /// One loop per two cores. A loop that runs out of work sleeps in <c>epoll_wait</c> and pays a wake-up for its next
    /// event; fewer, busier loops take more events per wake-up. On 2 cores shared with sysbench and three servers, one
    /// loop spent 16 % less CPU per statement than two and served 10–15 % more (benchmarks/PROFILE.md §11); a loop
    /// carries about one core of statements, so larger machines keep one per two cores (ProxySQL's 4 threads on 8).
    /// </summary>
    internal static int DefaultThreads(int cores) => Math.Max(1, cores / 2);

    private static EpollEngine? TryCreate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 ||
            string.Equals(Environment.GetEnvironmentVariable("PROXYLAYER_SOCKETS"), "dotnet", StringComparison.OrdinalIgnoreCase))
            return null;
        var threads = int.TryParse(Environment.GetEnvironmentVariable("PROXYLAYER_EPOLL_THREADS"), out var n) && n > 0
            ? Math.Min(n, 64) : DefaultThreads(Environment.ProcessorCount);
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
