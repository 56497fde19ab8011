using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProxyLayer.Protocol.Async;

namespace ProxyLayer.Protocol.Async;

/// <summary>
/// Builds the <see cref="ValueTask{TResult}"/> of an async method whose suspensions reuse pooled state-machine boxes
/// (<see cref="PooledStateMachineBox{TStateMachine,TResult}"/>). Like .NET's <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>,
/// with a larger shared pool: a proxy session starts a statement on its client socket's engine thread and finishes it
/// on its backend socket's, so every box is rented on one thread and returned on another, and .NET's per-thread and
/// per-core single slots missed about one statement in ten. As with any pooled ValueTask, await the result once.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public struct PooledValueTaskBuilder<TResult>
{
    private PooledBox<TResult>? _box;
    private TResult _result;
    private Exception? _exception;

#pragma warning disable CA1000 // the compiler's builder pattern wants a static Create on the builder type
    public static PooledValueTaskBuilder<TResult> Create() => default;
#pragma warning restore CA1000

    public readonly ValueTask<TResult> Task =>
        _box is { } box ? new ValueTask<TResult>(box, box.Version)
        : _exception is { } exception ? ValueTask.FromException<TResult>(exception)
        : new ValueTask<TResult>(_result);

    /// <summary>The same completion as <see cref="Task"/> without its value, for <see cref="PooledValueTaskBuilder"/>.</summary>
    internal readonly ValueTask ResultlessTask =>
        _box is { } box ? new ValueTask(box, box.Version)
        : _exception is { } exception ? ValueTask.FromException(exception)
        : ValueTask.CompletedTask;

    // The runtime's Start: runs the first step and restores the caller's execution and synchronization contexts.
    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        AsyncValueTaskMethodBuilder<TResult>.Create().Start(ref stateMachine);

#pragma warning disable CA1822 // part of the compiler's builder pattern; boxes are made on the first suspension instead
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }
#pragma warning restore CA1822

    public void SetResult(TResult result)
    {
        if (_box is { } box)
            box.SetResult(result);
        else
            _result = result;
    }

    public void SetException(Exception exception)
    {
        if (_box is { } box)
            box.SetException(exception);
        else
            _exception = exception;
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    /// <summary>
    /// The box the state machine runs in from its first suspension on. The builder learns its box before the state
    /// machine (which contains the builder) is copied into it, so the copy completes the box and not a stack builder.
    /// </summary>
    private PooledStateMachineBox<TStateMachine, TResult> BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_box is PooledStateMachineBox<TStateMachine, TResult> current)
            return current;
        var box = PooledStateMachineBox<TStateMachine, TResult>.Rent();
        _box = box;
        box.StateMachine = stateMachine;
        box.CaptureContext();
        return box;
    }
}

/// <summary>The result-less form of <see cref="PooledValueTaskBuilder{TResult}"/>, for async methods returning <see cref="ValueTask"/>.</summary>
[StructLayout(LayoutKind.Auto)]
public struct PooledValueTaskBuilder
{
    private PooledValueTaskBuilder<NoResult> _inner;

    public static PooledValueTaskBuilder Create() => default;

    public readonly ValueTask Task => _inner.ResultlessTask;

    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        _inner.Start(ref stateMachine);

#pragma warning disable CA1822 // part of the compiler's builder pattern; boxes are made on the first suspension instead
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }
#pragma warning restore CA1822

    public void SetResult() => _inner.SetResult(default);

    public void SetException(Exception exception) => _inner.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}

/// <summary>The result of a method that has none.</summary>
public readonly struct NoResult;
