using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// One row of <c>scheduler</c>: while <see cref="Active"/>, <see cref="Filename"/> is executed (no shell) every
/// <see cref="IntervalMs"/> with <see cref="Arguments"/>.
/// </summary>
public sealed record SchedulerJobConfig
{
    /// <summary>The table's CHECK on <c>interval_ms</c>; the config file and the runtime hold rows to it too.</summary>
    public const int MinIntervalMs = 100;
    public const int MaxIntervalMs = 100_000_000;

    public required int Id { get; init; }
    public bool Active { get; init; } = true;
    public required int IntervalMs { get; init; }
    public required string Filename { get; init; }
    public string? Arg1 { get; init; }
    public string? Arg2 { get; init; }
    public string? Arg3 { get; init; }
    public string? Arg4 { get; init; }
    public string? Arg5 { get; init; }
    public string Comment { get; init; } = "";

    /// <summary>
    /// The arguments passed, in order, up to the first NULL one: ProxySQL builds argv the same way, so
    /// <c>arg1=NULL, arg2='x'</c> passes nothing.
    /// </summary>
    public ImmutableArray<string> Arguments
    {
        get
        {
            var arguments = ImmutableArray.CreateBuilder<string>(5);
            foreach (var argument in (string?[])[Arg1, Arg2, Arg3, Arg4, Arg5])
            {
                if (argument is null)
                    break;
                arguments.Add(argument);
            }
            return arguments.ToImmutable();
        }
    }
}
