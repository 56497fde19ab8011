using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// The whole configuration as one immutable value: what the config file holds, what the admin store's MEMORY or DISK
/// layer holds, and what runs (RUNTIME). Both the <c>proxysql.cnf</c> reader and the SQLite admin store produce and
/// consume this type; there is no second model.
/// </summary>
public sealed record ProxyConfig
{
    public static ProxyConfig Empty { get; } = new();

    /// <summary>Global variables by full name (<c>mysql-threads</c>, <c>admin-admin_credentials</c>), values as text.</summary>
    public ImmutableSortedDictionary<string, string> Variables { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    public ImmutableArray<ServerConfig> Servers { get; init; } = [];
    public ImmutableArray<UserConfig> Users { get; init; } = [];
    public ImmutableArray<QueryRuleConfig> QueryRules { get; init; } = [];
    public ImmutableArray<FastRoutingConfig> FastRouting { get; init; } = [];
    public ImmutableArray<ReplicationHostgroupConfig> ReplicationHostgroups { get; init; } = [];
    /// <summary>Every <c>scheduler</c> row, inactive ones included (they show in <c>runtime_scheduler</c>, as in ProxySQL).</summary>
    public ImmutableArray<SchedulerJobConfig> Scheduler { get; init; } = [];
    public ImmutableArray<GaleraHostgroupConfig> GaleraHostgroups { get; init; } = [];
    /// <summary>Every <c>restapi_routes</c> row, inactive ones included (they show in <c>runtime_restapi_routes</c>, as in ProxySQL).</summary>
    public ImmutableArray<RestapiRouteConfig> RestapiRoutes { get; init; } = [];
}
