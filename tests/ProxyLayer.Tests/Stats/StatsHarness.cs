using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Admin;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Stats;

/// <summary>
/// A real runtime and server registry, fake sessions and time, an in-memory admin store and an executor wired to a
/// <see cref="StatsTableRefresher"/>: a SELECT through the executor runs the whole refresh path.
/// </summary>
internal sealed class StatsHarness : IDisposable
{
    public StatsHarness(ProxyConfig? config = null)
    {
        Runtime = new RuntimeConfigManager(Servers, NullLogger<RuntimeConfigManager>.Instance);
        if (config is not null)
            Assert.True(Runtime.Apply(config).Succeeded);
        Statistics = new QueryStatistics(Time);
        Refresher = new StatsTableRefresher(Runtime, Servers, Sessions, Statistics, Time);
        Executor = new AdminStatementExecutor(Store, Runtime, Refresher);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    public BackendServerRegistry Servers { get; } = new();
    public RuntimeConfigManager Runtime { get; }
    public FakeStatsSessions Sessions { get; } = new();
    public QueryStatistics Statistics { get; }
    public StatsTableRefresher Refresher { get; }
    public AdminStore Store { get; } = AdminStore.OpenInMemory();
    public AdminStatementExecutor Executor { get; }

    public AdminResult.Rows Rows(string sql)
    {
        var result = Executor.Execute(sql, new AdminSessionContext("admin", connectionId: 1));
        return result as AdminResult.Rows ?? throw new Xunit.Sdk.XunitException($"{sql} → {result}");
    }

    public string?[] Row(string sql) => Assert.Single(Rows(sql).Values);

    public string? Scalar(string sql) => Row(sql)[0];

    /// <summary>Row count read straight from SQLite, without the refresh the executor would do.</summary>
    public long CountWithoutRefresh(string table) => Store.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM stats.{table}";
        return (long)command.ExecuteScalar()!;
    });

    public void Dispose() => Store.Dispose();
}

internal sealed class FakeStatsSessions : IStatsSessions
{
    public List<SessionInfo> Sessions { get; } = [];
    public Dictionary<string, int> PerUser { get; } = [];

    public IReadOnlyList<SessionInfo> Snapshot() => Sessions;

    public int UserConnections(string username) => PerUser.GetValueOrDefault(username);

    public static IPEndPoint Client(string address, int port) => new(IPAddress.Parse(address), port);
}
