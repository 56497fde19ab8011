using System.Runtime.InteropServices;
using static ProxyLayer.Networking.Epoll.EpollInterop;

namespace ProxyLayer.Networking.Epoll;

/// <summary>
/// One thread waiting in <c>epoll_wait</c> for the sockets registered with it, edge-triggered, and running what waited
/// for them on that thread (as ProxySQL's worker threads do). An event names its socket by a slot index and a
/// registration number, so an event still queued for a socket that was closed (and whose slot or file descriptor was
/// reused since) finds nothing instead of the wrong socket.
/// </summary>
internal sealed unsafe class EpollLoop
{
    private const int MaxEvents = 256;
    private readonly int _epfd;
    private readonly Lock _slotsGate = new();
    private readonly Stack<int> _freeSlots = new();
    private EpollSocketStream?[] _slots = new EpollSocketStream?[256];
    private int _usedSlots;

    private EpollLoop(int epfd, string name)
    {
        _epfd = epfd;
        var thread = new Thread(Run) { IsBackground = true, Name = name };
        thread.UnsafeStart();
    }

    /// <summary>The loop whose thread this is, or null on any other thread.</summary>
    [ThreadStatic]
    private static EpollLoop? t_current;

    public static EpollLoop? Current => t_current;

    public static EpollLoop Create(string name)
    {
        var epfd = epoll_create1(EPOLL_CLOEXEC);
        if (epfd < 0)
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        return new EpollLoop(epfd, name);
    }

    /// <summary>Watches <paramref name="fd"/> for <paramref name="socket"/>; returns the slot to pass to <see cref="Remove"/>.</summary>
    public int Add(int fd, EpollSocketStream socket)
    {
        int slot;
        var registration = socket.Registration;
        lock (_slotsGate)
        {
            if (!_freeSlots.TryPop(out slot))
            {
                slot = _usedSlots++;
                if (slot == _slots.Length)
                {
                    var grown = new EpollSocketStream?[_slots.Length * 2];
                    _slots.CopyTo(grown, 0);
                    Volatile.Write(ref _slots, grown);
                }
            }
            _slots[slot] = socket;
        }
        var ev = new EpollEvent { Events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, Data = (uint)slot | ((ulong)(uint)registration << 32) };
        if (epoll_ctl(_epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Free(slot);
            throw new IOException($"epoll_ctl(ADD) failed: errno {errno}");
        }
        return slot;
    }

    /// <summary>Stops delivering events to the slot (the file descriptor is about to be closed, which unregisters it).</summary>
    public void Remove(int slot) => Free(slot);

    private void Free(int slot)
    {
        lock (_slotsGate)
        {
            _slots[slot] = null;
            _freeSlots.Push(slot);
        }
    }

    private void Run()
    {
        t_current = this;
        var events = (EpollEvent*)NativeMemory.Alloc(MaxEvents, (nuint)sizeof(EpollEvent));
        while (true)
        {
            var count = epoll_wait(_epfd, events, MaxEvents, -1);
            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == EINTR)
                    continue;
                Environment.FailFast($"epoll_wait failed: errno {Marshal.GetLastPInvokeError()}");
            }
            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < count; i++)
            {
                var data = events[i].Data;
                var slot = (int)(uint)data;
                if ((uint)slot >= (uint)slots.Length)
                    slots = Volatile.Read(ref _slots);
                var socket = (uint)slot < (uint)slots.Length ? slots[slot] : null;
                if (socket is null || socket.Registration != (int)(data >> 32))
                    continue;
                try
                {
                    socket.OnEvents(events[i].Events);
                }
                catch (Exception ex)
                {
                    // What ran on this thread was a waiter's continuation; its own exceptions belong to it. The loop
                    // must survive whatever escaped, or every socket of this thread would hang.
                    Console.Error.WriteLine($"proxylayer: epoll loop: a continuation threw: {ex}");
                }
            }
        }
    }
}
