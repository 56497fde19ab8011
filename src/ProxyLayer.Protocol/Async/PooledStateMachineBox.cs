using System.Runtime.CompilerServices;

namespace ProxyLayer.Protocol.Async;

/// <summary>
/// Holds one async method's state machine while it is suspended, and runs its next step when an awaited operation
/// completes. Boxes of one state-machine type are pooled: one per thread, then a shared set of slots that any thread
/// can take from or give to, so a box rented on one thread and finished on another is still reused.
/// </summary>
internal sealed class PooledStateMachineBox<TStateMachine, TResult> : PooledBox<TResult>
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>Enough for boxes in flight between the threads of a busy proxy; beyond it, boxes are dropped.</summary>
    private static readonly PooledStateMachineBox<TStateMachine, TResult>?[] SharedSlots =
        new PooledStateMachineBox<TStateMachine, TResult>?[Math.Max(16, Environment.ProcessorCount * 8)];

    private static readonly ContextCallback RunInContext = static box =>
        ((PooledStateMachineBox<TStateMachine, TResult>)box!).StateMachine.MoveNext();

    [ThreadStatic]
    private static PooledStateMachineBox<TStateMachine, TResult>? t_threadSlot;

    public TStateMachine StateMachine = default!;
    private ExecutionContext? _context;

    private PooledStateMachineBox() => MoveNextAction = MoveNext;

    /// <summary>The continuation handed to awaiters, made once per box.</summary>
    public Action MoveNextAction { get; }

    public static PooledStateMachineBox<TStateMachine, TResult> Rent()
    {
        if (t_threadSlot is { } own)
        {
            t_threadSlot = null;
            return own;
        }
        var slots = SharedSlots;
        var start = (int)((uint)Thread.GetCurrentProcessorId() % (uint)slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var index = start + i < slots.Length ? start + i : start + i - slots.Length;
            if (Volatile.Read(ref slots[index]) is not null && Interlocked.Exchange(ref slots[index], null) is { } shared)
                return shared;
        }
        return new PooledStateMachineBox<TStateMachine, TResult>();
    }

    /// <summary>Keeps the caller's execution context (AsyncLocal values) for the steps that run on other threads.</summary>
    public void CaptureContext() => _context = ExecutionContext.Capture();

    private void MoveNext()
    {
        if (_context is { } context)
            ExecutionContext.Run(context, RunInContext, this);
        else
            StateMachine.MoveNext();
    }

    protected override void Recycle()
    {
        StateMachine = default!;
        _context = null;
        if (t_threadSlot is null)
        {
            t_threadSlot = this;
            return;
        }
        var slots = SharedSlots;
        var start = (int)((uint)Thread.GetCurrentProcessorId() % (uint)slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var index = start + i < slots.Length ? start + i : start + i - slots.Length;
            if (Volatile.Read(ref slots[index]) is null && Interlocked.CompareExchange(ref slots[index], this, null) is null)
                return;
        }
    }
}
