namespace ProxyLayer.Tests.Monitor;

/// <summary>
/// Monitor tests drive real check loops on the thread pool with virtual time; they run alone, after the parallel
/// tests, so other classes competing for 2 cores cannot delay a check past the step that expects its verdict.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VirtualTimeDefinition
{
    public const string Name = "MonitorVirtualTime";
}
