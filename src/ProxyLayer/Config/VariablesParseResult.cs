using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>Either a typed variables record (<see cref="Value"/>) or, when any variable is bad, every error found.</summary>
public sealed record VariablesParseResult<T>(T? Value, ImmutableArray<string> Errors)
    where T : class
{
    public bool Succeeded => Errors.IsEmpty && Value is not null;
}
