using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using ProxyLayer.Protocol.Async;

namespace ProxyLayer.Protocol.Tests.Async;

public sealed class PooledValueTaskBuilderTests
{
    /// <summary>An awaitable the test completes by hand, on the thread it chooses.</summary>
    private sealed class Gate : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core;

        public ValueTask<int> WaitAsync()
        {
            _core.Reset();
            return new ValueTask<int>(this, _core.Version);
        }

        public void Open(int value) => _core.SetResult(value);
        public void Fail(Exception exception) => _core.SetException(exception);
        public int GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }

    private static readonly AsyncLocal<string?> Ambient = new();

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> AddAfterAsync(Gate gate, int add)
    {
        var value = await gate.WaitAsync().ConfigureAwait(false);
        return value + add;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> CompletesAtOnceAsync(int value)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        return value;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private static async ValueTask ThrowsAfterAsync(Gate gate)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        throw new InvalidOperationException("after the wait");
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private static async ValueTask ThrowsAtOnceAsync()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        throw new InvalidOperationException("at once");
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<string?> AmbientAfterAsync(Gate gate)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        return Ambient.Value;
    }

    [Fact]
    public async Task A_method_that_completes_synchronously_returns_its_value_without_a_box()
    {
        var task = CompletesAtOnceAsync(7);
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(7, await task);
    }

    [Fact]
    public async Task A_suspended_method_completes_with_its_value_when_resumed_on_another_thread()
    {
        var gate = new Gate();
        var task = AddAfterAsync(gate, 1);
        Assert.False(task.IsCompleted);
        await Task.Run(() => gate.Open(41));
        Assert.Equal(42, await task);
    }

    [Fact]
    public async Task Boxes_are_reused_across_many_runs_and_each_run_gets_its_own_result()
    {
        var gate = new Gate();
        for (var i = 0; i < 1000; i++)
        {
            var task = AddAfterAsync(gate, i);
            gate.Open(i);
            Assert.Equal(2 * i, await task);
        }
    }

    [Fact]
    public async Task Runs_in_flight_at_once_do_not_share_a_box()
    {
        var gates = Enumerable.Range(0, 200).Select(_ => new Gate()).ToArray();
        var tasks = gates.Select((gate, i) => AddAfterAsync(gate, i)).ToArray();
        // Opened in reverse, from two threads, so boxes go back to the pool in another order than they were taken.
        await Task.WhenAll(
            Task.Run(() => { for (var i = gates.Length - 1; i >= 0; i -= 2) gates[i].Open(1000); }),
            Task.Run(() => { for (var i = gates.Length - 2; i >= 0; i -= 2) gates[i].Open(1000); }));
        for (var i = 0; i < tasks.Length; i++)
            Assert.Equal(1000 + i, await tasks[i]);
    }

    [Fact]
    public async Task Exceptions_reach_the_awaiter_both_before_and_after_a_suspension()
    {
        var immediate = ThrowsAtOnceAsync();
        Assert.True(immediate.IsFaulted);
        Assert.Equal("at once", (await Assert.ThrowsAsync<InvalidOperationException>(async () => await immediate)).Message);

        var gate = new Gate();
        var later = ThrowsAfterAsync(gate);
        gate.Open(0);
        Assert.Equal("after the wait", (await Assert.ThrowsAsync<InvalidOperationException>(async () => await later)).Message);
        // The box went back to the pool: the next run works.
        var next = AddAfterAsync(gate, 2);
        gate.Open(3);
        Assert.Equal(5, await next);
    }

    [Fact]
    public async Task An_awaited_failure_of_the_awaited_operation_propagates()
    {
        var gate = new Gate();
        var task = AddAfterAsync(gate, 1);
        gate.Fail(new TimeoutException("gone"));
        await Assert.ThrowsAsync<TimeoutException>(async () => await task);
    }

    [Fact]
    public async Task The_callers_async_local_values_flow_into_the_steps_after_a_suspension()
    {
        var gate = new Gate();
        Ambient.Value = "session 1";
        var task = AmbientAfterAsync(gate);
        Ambient.Value = null;
        // Resumed from a thread whose own context has another value: the method still sees its caller's.
        await Task.Run(() =>
        {
            Ambient.Value = "someone else";
            gate.Open(0);
        });
        Assert.Equal("session 1", await task);
    }
}
