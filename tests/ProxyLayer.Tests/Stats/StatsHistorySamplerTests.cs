using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Config;
using ProxyLayer.Stats;
using ProxyLayer.Stats.History;

namespace ProxyLayer.Tests.Stats;

/// <summary>
/// The sampler's timers and what each writes, on fake time: the loop takes its first samples at start and then
/// waits for the fake clock, so the test drives <see cref="StatsHistorySampler.SampleDue"/> alone after that.
/// </summary>
public sealed class StatsHistorySamplerTests : IDisposable
{
    private readonly StatsHarness _harness = new();
    private readonly Dictionary<string, long> _globals = new(StringComparer.Ordinal)
    {
        ["Questions"] = 7, ["Client_Connections_connected"] = 2, ["MyHGM_myconnpoll_get"] = 11, ["MyHGM_myconnpoll_get_ok"] = 10,
        ["MyHGM_myconnpoll_push"] = 9, ["MyHGM_myconnpoll_destroy"] = 1, ["MyHGM_myconnpoll_reset"] = 3,
        ["Query_Cache_count_GET"] = 5, ["Query_Cache_count_GET_OK"] = 2, ["Query_Cache_Entries"] = 4, ["Query_Cache_Memory_bytes"] = 512,
    };
    private readonly long _start;
    private AdminVariables _admin;

    public StatsHistorySamplerTests()
    {
        _start = _harness.Time.GetUtcNow().ToUnixTimeSeconds();
        _admin = Admin(("admin-stats_mysql_connections", "5"), ("admin-stats_system_cpu", "10"), ("admin-stats_system_memory", "0"),
            ("admin-stats_mysql_query_cache", "30"), ("admin-stats_mysql_query_digest_to_disk", "0"));
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Each_table_follows_its_own_interval_from_the_first_tick()
    {
        await using var sampler = await StartAsync();
        for (var second = 1; second <= 30; second++)
            sampler.SampleDue(_start + second);

        // Due at 0 then every interval: connections at 0,5,..,30; cpu at 0,10,20,30; the query cache at 0 and 30.
        Assert.Equal(7, Count("mysql_connections"));
        Assert.Equal(7, Count("myhgm_connections"));
        Assert.Equal(4, Count("system_cpu"));
        Assert.Equal(2, Count("mysql_query_cache"));
        Assert.Equal(0, Count("system_memory"));                         // interval 0: never
        Assert.Equal(0, Count("history_mysql_query_digest"));
        Assert.Equal(["0|11|10|9|1|3"], Select($"SELECT timestamp - {_start}, MyHGM_myconnpoll_get, MyHGM_myconnpoll_get_ok, " +
            "MyHGM_myconnpoll_push, MyHGM_myconnpoll_destroy, MyHGM_myconnpoll_reset FROM stats_history.myhgm_connections ORDER BY timestamp LIMIT 1"));
        Assert.Equal(["5|2|4|512"], Select("SELECT count_GET, count_GET_OK, Entries_In_Cache, Memory_Bytes FROM stats_history.mysql_query_cache LIMIT 1"));
        var cpu = Select("SELECT tms_utime + tms_stime FROM stats_history.system_cpu ORDER BY timestamp");
        Assert.True(long.Parse(cpu[^1]) >= long.Parse(cpu[0]), "CPU time only grows");
    }

    [Fact]
    public async Task Status_variables_are_stored_by_id_with_each_name_once()
    {
        await using var sampler = await StartAsync();
        _globals["Questions"] = 8;
        sampler.SampleDue(_start + 5);
        _globals["A_new_variable"] = 1;
        sampler.SampleDue(_start + 10);

        Assert.Equal(_globals.Count, Count("history_mysql_status_variables_lookup"));
        Assert.Equal(["7", "8", "8"], Select("SELECT variable_value FROM stats_history.history_mysql_status_variables v " +
            "JOIN stats_history.history_mysql_status_variables_lookup l USING (variable_id) WHERE l.variable_name = 'Questions' ORDER BY timestamp"));
        Assert.Equal(2 * (_globals.Count - 1) + _globals.Count, Count("history_mysql_status_variables"));

        // An admin empties the lookup: the next sample names every variable again rather than refer to lost ids.
        _harness.Store.Run(c => ProxyLayer.Admin.AdminStore.Execute(c, "DELETE FROM stats_history.history_mysql_status_variables_lookup"));
        sampler.SampleDue(_start + 15);
        Assert.Equal(0, Count("history_mysql_status_variables v LEFT JOIN stats_history.history_mysql_status_variables_lookup l " +
            $"USING (variable_id) WHERE v.timestamp = {_start + 15} AND l.variable_name IS NULL"));
        Assert.Equal(_globals.Count, Count("history_mysql_status_variables_lookup"));
    }

    [Fact]
    public async Task A_digest_dump_moves_the_digest_table_into_history_and_empties_it()
    {
        await using var sampler = await StartAsync();
        var key = new DigestKey(10, "shop", "app", "10.0.0.1", 0xABCDEF);
        _harness.Statistics.Digests.Record(key, "SELECT ?", _start, elapsedMicroseconds: 120, rowsAffected: 0, rowsSent: 3, maxEntries: 100);
        _harness.Statistics.Digests.Record(key, "SELECT ?", _start + 1, elapsedMicroseconds: 80, rowsAffected: 0, rowsSent: 1, maxEntries: 100);

        Assert.Equal(1, sampler.SaveDigests());
        Assert.Equal(0, _harness.Statistics.Digests.Count);
        Assert.Equal([$"{_start}|10|shop|app|10.0.0.1|0x0000000000ABCDEF|SELECT ?|2|200|80|120|4"],
            Select("SELECT dump_time, hostgroup, schemaname, username, client_address, digest, digest_text, count_star, sum_time, " +
                "min_time, max_time, sum_rows_sent FROM stats_history.history_mysql_query_digest"));
        Assert.Equal(0, sampler.SaveDigests());

        // The timer does the same every admin-stats_mysql_query_digest_to_disk seconds.
        _admin = Admin(("admin-stats_mysql_query_digest_to_disk", "4"));
        _harness.Statistics.Digests.Record(key, "SELECT ?", _start + 2, 50, 0, 1, 100);
        sampler.SampleDue(_start + 2);
        _harness.Statistics.Digests.Record(key, "SELECT ?", _start + 3, 50, 0, 1, 100);
        sampler.SampleDue(_start + 3);
        Assert.Equal(2, Count("history_mysql_query_digest"));          // the second statement waits for the next dump
        sampler.SampleDue(_start + 6);
        Assert.Equal(3, Count("history_mysql_query_digest"));
    }

    private async Task<StatsHistorySampler> StartAsync()
    {
        var sampler = new StatsHistorySampler(_harness.Store,
            new StatsHistorySources(Snapshot, () => _globals, () => _harness.Statistics.Digests.TakeAndReset(), _harness.Refresher),
            _harness.Time, NullLogger<StatsHistorySampler>.Instance);
        // The loop's first tick samples at the start time; after it the loop waits on the fake clock.
        for (var i = 0; i < 500 && Count("mysql_connections") == 0; i++)
            await Task.Delay(10);
        Assert.Equal(1, Count("mysql_connections"));
        return sampler;
    }

    private RuntimeSnapshot Snapshot()
    {
        var s = _harness.Runtime.Snapshot;
        return new RuntimeSnapshot
        {
            Config = s.Config, FrontendUsers = s.FrontendUsers, Hostgroups = s.Hostgroups, Settings = s.Settings, Admin = _admin,
            Rules = s.Rules, FastRouting = s.FastRouting, Version = s.Version,
        };
    }

    private static AdminVariables Admin(params (string Name, string Value)[] values)
    {
        var variables = new Dictionary<string, string>(VariableDefaults.All);
        foreach (var (name, value) in values)
            variables[name] = value;
        return AdminVariables.Parse(variables).Value!;
    }

    private long Count(string table) => long.Parse(Select($"SELECT COUNT(*) FROM stats_history.{table}").Single());

    private List<string> Select(string sql) => _harness.Store.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    });
}
