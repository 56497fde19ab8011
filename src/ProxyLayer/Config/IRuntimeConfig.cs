using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// The live configuration (the RUNTIME layer). The admin interface reads it for <c>runtime_*</c> tables and
/// <c>SAVE … FROM RUNTIME</c>, and offers it whole new configurations on <c>LOAD … TO RUNTIME</c>.
/// </summary>
public interface IRuntimeConfig
{
    /// <summary>What runs now, including changes the monitor made (a promoted writer, a shunned server).</summary>
    ProxyConfig Current { get; }

    /// <summary>
    /// Validates <paramref name="candidate"/> whole and, only if it is valid, makes it the running configuration in one
    /// atomic swap. On errors nothing changes.
    /// </summary>
    RuntimeApplyResult Apply(ProxyConfig candidate);
}

/// <summary>The outcome of <see cref="IRuntimeConfig.Apply"/>: errors (nothing applied) or warnings (applied).</summary>
public sealed record RuntimeApplyResult(ImmutableArray<string> Errors, ImmutableArray<string> Warnings)
{
    public static RuntimeApplyResult Success { get; } = new([], []);
    public bool Succeeded => Errors.IsEmpty;
    public static RuntimeApplyResult Failed(params string[] errors) => new([.. errors], []);
}
