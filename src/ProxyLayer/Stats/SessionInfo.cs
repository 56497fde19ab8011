using System.Net;
using ProxyLayer.Sessions;
using ProxyLayer.Sessions.State;

namespace ProxyLayer.Stats;

/// <summary>
/// What the process list and the connection gauges show of one client session, read once per refresh.
/// <see cref="InTransaction"/>, <see cref="CommandStartedAt"/> and <see cref="CurrentQuery"/> are optional: a
/// session that does not expose them shows no transaction, its login time and no query text.
/// </summary>
internal sealed record SessionInfo
{
    public required uint ConnectionId { get; init; }
    public string? Username { get; init; }
    public string? Schema { get; init; }
    public IPEndPoint? Remote { get; init; }
    public int? Hostgroup { get; init; }
    /// <summary>The attached backend as <c>host:port</c>; null when the session holds no connection.</summary>
    public string? BackendServer { get; init; }
    public SessionPhase Phase { get; init; }
    public PinReasons Pins { get; init; }
    public bool InTransaction { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CommandStartedAt { get; init; }
    public string? CurrentQuery { get; init; }
    public FrontendCommandTally Commands { get; init; }

    public static SessionInfo From(ClientSession session) => new()
    {
        ConnectionId = session.ConnectionId,
        Username = session.Username,
        Schema = session.Schema,
        Remote = session.Remote,
        Hostgroup = session.Hostgroup,
        BackendServer = session.BackendServer,
        Phase = session.Phase,
        Pins = session.Pins,
        StartedAt = session.StartedAt,
        InTransaction = session.InTransaction,
        CommandStartedAt = session.CommandStartedAt,
        CurrentQuery = session.CurrentQuery,
        Commands = session.Commands,
    };
}

/// <summary>The live sessions as the stats tables see them.</summary>
internal interface IStatsSessions
{
    IReadOnlyList<SessionInfo> Snapshot();

    int UserConnections(string username);
}

/// <summary><see cref="IStatsSessions"/> over the proxy's <see cref="SessionRegistry"/>.</summary>
internal sealed class RegistryStatsSessions(SessionRegistry registry) : IStatsSessions
{
    public IReadOnlyList<SessionInfo> Snapshot() => [.. registry.All.Select(SessionInfo.From)];

    public int UserConnections(string username) => registry.UserConnections(username);
}
