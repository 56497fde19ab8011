using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>Checks a whole variable set at once, as admin <c>SET</c> and <c>LOAD … VARIABLES TO RUNTIME</c> need.</summary>
public static class VariableValidation
{
    /// <summary>Every error in <paramref name="variables"/>; empty when all are known and well-formed.</summary>
    public static ImmutableArray<string> Validate(IReadOnlyDictionary<string, string> variables)
    {
        var errors = ImmutableArray.CreateBuilder<string>();
        errors.AddRange(MySqlVariables.Parse(variables).Errors);
        errors.AddRange(AdminVariables.Parse(variables).Errors);
        foreach (string name in variables.Keys)
        {
            if (!name.StartsWith("mysql-", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("admin-", StringComparison.OrdinalIgnoreCase))
                errors.Add($"{name}: unknown variable");
        }
        return errors.ToImmutable();
    }
}
