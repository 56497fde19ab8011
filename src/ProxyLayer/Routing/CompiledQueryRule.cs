using System.Text.RegularExpressions;
using ProxyLayer.Config;

namespace ProxyLayer.Routing;

/// <summary>One active rule, ready to test: regexes compiled, digest parsed, replacement translated.</summary>
internal sealed class CompiledQueryRule
{
    public required QueryRuleConfig Config { get; init; }
    public required RegexModifiers Modifiers { get; init; }
    public required ClientAddressFilter ClientAddress { get; init; }
    public Regex? MatchPattern { get; init; }
    public Regex? MatchDigest { get; init; }
    public ulong? Digest { get; init; }

    /// <summary>replace_pattern in .NET form (<c>${1}</c>), or null.</summary>
    public string? Replacement { get; init; }

    /// <summary>attributes.flagOUTs, for a weighted random flagOUT; null if the rule has none.</summary>
    public WeightedFlagOuts? FlagOuts { get; init; }

    public int RuleId => Config.RuleId;
    public bool IsCaseless => (Modifiers & RegexModifiers.Caseless) != 0;
    public bool ReplacesAll => (Modifiers & RegexModifiers.Global) != 0;
    public bool NeedsDigest => Digest is not null || MatchDigest is not null;

    /// <summary>The filters that need no regex: user, schema, addresses and port.</summary>
    public bool MatchesConnection(in QueryRuleInput input)
    {
        var config = Config;
        return (config.Username is null || config.Username == input.Username) &&
               (config.Schemaname is null || config.Schemaname == input.Schemaname) &&
               (config.ProxyAddr is null || config.ProxyAddr == input.ProxyAddress) &&
               (config.ProxyPort is null || config.ProxyPort == input.ProxyPort) &&
               ClientAddress.Matches(input.ClientAddress);
    }
}
