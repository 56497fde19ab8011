namespace ProxyLayer.Config;

/// <summary>
/// One row of <c>mysql_query_rules_fast_routing</c>: statements of <see cref="Username"/> in <see cref="Schemaname"/>
/// that leave the query rules at <see cref="FlagIn"/> without an apply=1 match go to <see cref="DestinationHostgroup"/>.
/// An empty username matches every user, as in ProxySQL.
/// </summary>
public sealed record FastRoutingConfig
{
    public required string Username { get; init; }
    public required string Schemaname { get; init; }
    public int FlagIn { get; init; }
    public required int DestinationHostgroup { get; init; }
    public string Comment { get; init; } = "";
}
