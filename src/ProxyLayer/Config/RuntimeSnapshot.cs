using System.Collections.Frozen;
using ProxyLayer.Backends;
using ProxyLayer.Routing;

namespace ProxyLayer.Config;

/// <summary>
/// The immutable runtime form of a <see cref="ProxyConfig"/>: lookups built once per load. Sessions read the current
/// snapshot once per statement and never see a half-applied configuration.
/// </summary>
internal sealed class RuntimeSnapshot
{
    public required ProxyConfig Config { get; init; }
    public required FrozenDictionary<string, UserConfig> FrontendUsers { get; init; }
    /// <summary>
    /// Active rows with <c>frontend=0, backend=1</c>: what the proxy logs in to servers with for a user whose
    /// frontend row has <c>backend=0</c> (e.g. a frontend row stored as an ed25519 key, which gives the proxy nothing
    /// to log in with).
    /// </summary>
    public FrozenDictionary<string, UserConfig> BackendOnlyUsers { get; init; } = FrozenDictionary<string, UserConfig>.Empty;
    public required FrozenDictionary<int, HostgroupSnapshot> Hostgroups { get; init; }
    public required MySqlVariables Settings { get; init; }
    public required AdminVariables Admin { get; init; }
    /// <summary>The active query rules, compiled once for this snapshot.</summary>
    public required QueryRuleSet Rules { get; init; }
    /// <summary><c>mysql_query_rules_fast_routing</c>, compiled with the rules at LOAD MYSQL QUERY RULES TO RUNTIME.</summary>
    public required FastRoutingTable FastRouting { get; init; }
    public required long Version { get; init; }

    /// <summary>Users whose <c>attributes</c> turn read-your-writes on or off, whatever <c>mysql-read_your_writes</c> says.</summary>
    public FrozenDictionary<string, bool> ReadYourWritesUsers { get; init; } = FrozenDictionary<string, bool>.Empty;

    /// <summary>
    /// Read-your-writes can apply to some session (the global switch, a user's attribute or a rule's
    /// gtid_from_hostgroup): backend connections then report their commits' GTIDs and the monitor reads positions.
    /// </summary>
    public bool ReadYourWritesInUse { get; init; }

    /// <summary>Whether reads of <paramref name="username"/>'s sessions routed away from where they wrote must see those writes.</summary>
    public bool ReadYourWritesFor(string username) =>
        ReadYourWritesUsers.Count == 0 ? Settings.ReadYourWrites : ReadYourWritesUsers.GetValueOrDefault(username, Settings.ReadYourWrites);

    public HostgroupSnapshot? FindHostgroup(int id) => Hostgroups.GetValueOrDefault(id);
}
