using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Monitor;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>Everything one scrape reads, taken once so every family of the scrape sees the same runtime.</summary>
internal sealed record MetricsInputs
{
    public required RuntimeSnapshot Snapshot { get; init; }
    /// <summary>The rows of <c>stats_mysql_global</c>, as <c>SHOW MYSQL STATUS</c> would show them now.</summary>
    public required IReadOnlyList<(string Name, long Value)> Globals { get; init; }
    public required IReadOnlyList<SessionInfo> Sessions { get; init; }
    public required IReadOnlyCollection<BackendServer> Servers { get; init; }
    public required QueryStatistics Statistics { get; init; }
    public required WriterChangeTracker Writers { get; init; }
    public required ScrapeCounters Scrapes { get; init; }
    public MonitorCheckCounters? MonitorChecks { get; init; }
    public long EventsLogDropped { get; init; }
    /// <summary>Refused logins by interface and reason; none counted if absent.</summary>
    public AuthFailureCounts? AuthFailures { get; init; }
    /// <summary>Statements held per hostgroup until it had a usable server (a writer during a failover).</summary>
    public IReadOnlyList<Backends.HeldStatements> Held { get; init; } = [];
    public Gtid.ReadYourWritesCounters? ReadYourWrites { get; init; }
}
