using System.Collections.Frozen;
using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Routing;

/// <summary>
/// <c>mysql_query_rules_fast_routing</c> compiled for lookup: (username, schemaname, flagIN) → destination hostgroup
/// (spec §5.2). Consulted after the query rules when no apply=1 rule matched. As in ProxySQL, the exact user is
/// tried first, then the row with an empty username, which stands for every user. Immutable; lookups allocate nothing.
/// </summary>
public sealed class FastRoutingTable
{
    private readonly FrozenDictionary<Key, int> _routes;

    private FastRoutingTable(FrozenDictionary<Key, int> routes) => _routes = routes;

    public static FastRoutingTable Empty { get; } = new(FrozenDictionary<Key, int>.Empty);

    public int Count => _routes.Count;

    /// <summary>Compiles the rows, or reports every invalid one (naming it) and compiles nothing.</summary>
    public static FastRoutingBuildResult Build(IEnumerable<FastRoutingConfig> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var errors = ImmutableArray.CreateBuilder<string>();
        var routes = new Dictionary<Key, int>();
        foreach (var row in rows)
        {
            var name = $"mysql_query_rules_fast_routing (username='{row.Username}', schemaname='{row.Schemaname}', flagIN={row.FlagIn})";
            if (row.DestinationHostgroup < 0)
                errors.Add($"{name}: destination_hostgroup {row.DestinationHostgroup} is negative");
            if (row.FlagIn < 0)
                errors.Add($"{name}: flagIN is negative");
            if (!routes.TryAdd(new Key(row.Username, row.Schemaname, row.FlagIn), row.DestinationHostgroup))
                errors.Add($"{name}: duplicate row");
        }
        return errors.Count > 0
            ? new FastRoutingBuildResult(null, errors.ToImmutable())
            : new FastRoutingBuildResult(routes.Count == 0 ? Empty : new FastRoutingTable(routes.ToFrozenDictionary()), []);
    }

    /// <summary>The destination for <paramref name="username"/> in <paramref name="schemaname"/> at <paramref name="flagIn"/>, if a row names one.</summary>
    public bool TryFind(string? username, string? schemaname, int flagIn, out int hostgroup)
    {
        hostgroup = 0;
        if (_routes.Count == 0)
            return false;
        var schema = schemaname ?? "";
        return _routes.TryGetValue(new Key(username ?? "", schema, flagIn), out hostgroup) ||
               _routes.TryGetValue(new Key("", schema, flagIn), out hostgroup);
    }

    /// <summary>Strings compare ordinally, as ProxySQL's hash of the raw bytes does.</summary>
    private readonly record struct Key(string Username, string Schemaname, int FlagIn);
}

/// <summary>The outcome of <see cref="FastRoutingTable.Build"/>: a table, or the errors that prevented it.</summary>
public sealed record FastRoutingBuildResult(FastRoutingTable? Table, ImmutableArray<string> Errors);
