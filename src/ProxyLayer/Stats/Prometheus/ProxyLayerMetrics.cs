using System.Globalization;
using ProxyLayer.Config;
using ProxyLayer.Monitor;
using ProxyLayer.Sessions.State;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// ProxyLayer's own families, under <c>proxylayer_</c>, where it knows more than ProxySQL's names carry: statement
/// latency histograms, pinned sessions by reason, prepared statements per server, writer changes, mirror and events
/// log drops, monitor check time.
/// </summary>
internal static class ProxyLayerMetrics
{
    /// <summary>Upper bounds in seconds of <see cref="CommandCounters"/>' buckets (its last bucket is +Inf).</summary>
    private static readonly double[] BucketBounds = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    public static void Write(ExpositionWriter writer, MetricsInputs inputs, IReadOnlyDictionary<string, long> globals)
    {
        WriteStatementHistogram(writer, inputs.Statistics.Commands);
        WriteHostgroupHistogram(writer, inputs.Statistics.Hostgroups);
        WriteHeldStatements(writer, inputs.Held);

        writer.Family("proxylayer_sessions_pinned", MetricType.Gauge,
            "Client sessions holding their backend connection, by the state that pins them (a session may have several).");
        foreach (var reason in Enum.GetValues<PinReasons>().Where(r => r != PinReasons.None))
            writer.Sample([("reason", reason.ToString())], inputs.Sessions.Count(s => s.Pins.HasFlag(reason)));

        writer.Family("proxylayer_server_prepared_statements", MetricType.Gauge,
            "Statements prepared on the backend server's connections now (bounded by mysql-max_stmts_per_connection).");
        foreach (var server in inputs.Servers.OrderBy(s => s.ToString(), StringComparer.Ordinal))
            writer.Sample([("endpoint", server.ToString())], server.PreparedStatements);

        writer.Family("proxylayer_writer_changes_total", MetricType.Counter,
            "Changes of the ONLINE servers of a writer hostgroup (failovers, switchovers, a writer shunned or back).");
        var changes = inputs.Writers.Changes;
        foreach (var (hostgroup, count) in changes.OrderBy(c => c.Key))
            writer.Sample([("hostgroup", hostgroup.ToString(CultureInfo.InvariantCulture))], count);
        writer.Family("proxylayer_writer_last_change_timestamp_seconds", MetricType.Gauge,
            "When the writer hostgroup's ONLINE servers last changed (Unix time); 0 if they never did.");
        var recent = inputs.Writers.Recent;
        foreach (var hostgroup in changes.Keys.Order())
        {
            var last = recent.LastOrDefault(c => c.WriterHostgroup == hostgroup);
            writer.Sample([("hostgroup", hostgroup.ToString(CultureInfo.InvariantCulture))], last is null ? 0 : last.At.ToUnixTimeMilliseconds() / 1000.0);
        }
        WriteFailoverDetect(writer, inputs.Writers);

        Counter(writer, "proxylayer_mirror_dropped_total", "Mirrored statements dropped because the mirror queue was full.", globals, "Mirror_dropped");
        Counter(writer, "proxylayer_mirror_failed_total", "Mirrored statements that failed on the mirror hostgroup.", globals, "Mirror_failed");
        writer.Family("proxylayer_events_log_dropped_total", MetricType.Counter, "Events log records dropped because the queue was full.")
            .Sample(inputs.EventsLogDropped);

        // Every interface × reason, zeros included: a rate() over a series that appears only at its first failure misses it.
        writer.Family("proxylayer_client_auth_failures_total", MetricType.Counter,
            "Refused logins by interface (mysql, admin) and reason (access_denied, ssl_required, malformed, other).");
        foreach (var interfaceName in AuthFailureCounts.Interfaces)
        {
            foreach (var reason in Enum.GetValues<AuthFailureReason>())
                writer.Sample([("interface", interfaceName), ("reason", AuthFailureCounts.LabelOf(reason))], inputs.AuthFailures?.Get(interfaceName, reason) ?? 0);
        }

        if (inputs.ReadYourWrites is { } reads)
        {
            writer.Family("proxylayer_read_your_writes_reads_total", MetricType.Counter,
                "Reads that had to see their session's writes, by the hostgroup they were for and how they were served " +
                "(caught_up: a server already had the writes; waited: after MASTER_GTID_WAIT; writer: sent to the hostgroup written to).");
            foreach (var (hostgroup, caughtUp, waited, toWriter) in reads.Snapshot())
            {
                var id = hostgroup.ToString(CultureInfo.InvariantCulture);
                writer.Sample([("hostgroup", id), ("outcome", "caught_up")], caughtUp);
                writer.Sample([("hostgroup", id), ("outcome", "waited")], waited);
                writer.Sample([("hostgroup", id), ("outcome", "writer")], toWriter);
            }
        }

        if (inputs.MonitorChecks is { } checks)
        {
            writer.Family("proxylayer_monitor_check_duration_seconds", MetricType.Summary, "Time of the successful monitor checks, by check.");
            foreach (var (kind, name) in MonitorCheckCounters.ProxySqlNames.Append((CheckKind.GtidPosition, "gtid_position")))
            {
                writer.Sample("proxylayer_monitor_check_duration_seconds_sum", [("check", name)], checks.SucceededMicroseconds(kind) / 1e6);
                writer.Sample("proxylayer_monitor_check_duration_seconds_count", [("check", name)], checks.Succeeded(kind));
            }
        }
    }

    private static void WriteFailoverDetect(ExpositionWriter writer, WriterChangeTracker writers)
    {
        const string Name = "proxylayer_failover_detect_seconds";
        var times = writers.DetectTimes;
        writer.Family(Name, MetricType.Histogram,
            "Per failover of a writer hostgroup: time from the monitor's first sign the old writer was gone (failed connect or ping, " +
            "read_only failed or 1) to another server being its ONLINE writer in the runtime.");
        foreach (var (hostgroup, reading) in times)
        {
            var id = hostgroup.ToString(CultureInfo.InvariantCulture);
            long cumulative = 0;
            for (var i = 0; i < DetectHistogram.BucketBounds.Length; i++)
            {
                cumulative += reading.Buckets[i];
                writer.Sample(Name + "_bucket", [("hostgroup", id), ("le", ExpositionWriter.FormatValue(DetectHistogram.BucketBounds[i]))], cumulative);
            }
            writer.Sample(Name + "_bucket", [("hostgroup", id), ("le", "+Inf")], reading.Count);
            writer.Sample(Name + "_sum", [("hostgroup", id)], reading.Sum);
            writer.Sample(Name + "_count", [("hostgroup", id)], reading.Count);
        }
        writer.Family("proxylayer_failover_last_detect_seconds", MetricType.Gauge,
            "Time-to-detect of the writer hostgroup's last failover (see proxylayer_failover_detect_seconds).");
        foreach (var (hostgroup, reading) in times)
            writer.Sample([("hostgroup", hostgroup.ToString(CultureInfo.InvariantCulture))], reading.Last);
    }

    private static void WriteStatementHistogram(ExpositionWriter writer, CommandCounters commands)
    {
        const string Name = "proxylayer_statement_duration_seconds";
        writer.Family(Name, MetricType.Histogram, "Time from a statement's arrival to its answer, by command (stats_mysql_commands_counters' buckets).");
        foreach (var row in commands.Snapshot().Where(r => r.TotalCount > 0))
        {
            var command = row.Name;
            long cumulative = 0;
            for (var i = 0; i < BucketBounds.Length; i++)
            {
                cumulative += row.Buckets[i];
                writer.Sample(Name + "_bucket", [("command", command), ("le", ExpositionWriter.FormatValue(BucketBounds[i]))], cumulative);
            }
            writer.Sample(Name + "_bucket", [("command", command), ("le", "+Inf")], row.TotalCount);
            writer.Sample(Name + "_sum", [("command", command)], row.TotalTimeMicroseconds / 1e6);
            writer.Sample(Name + "_count", [("command", command)], row.TotalCount);
        }
    }

    private static void WriteHostgroupHistogram(ExpositionWriter writer, HostgroupLatency hostgroups)
    {
        const string Name = "proxylayer_hostgroup_statement_duration_seconds";
        writer.Family(Name, MetricType.Histogram, "Time from a statement's arrival to its answer, by the hostgroup that answered it (-1: the query cache).");
        foreach (var row in hostgroups.Snapshot())
        {
            var hostgroup = row.Hostgroup == HostgroupLatency.OverflowHostgroup ? "other" : row.Hostgroup.ToString(CultureInfo.InvariantCulture);
            long cumulative = 0;
            for (var i = 0; i < BucketBounds.Length; i++)
            {
                cumulative += row.Buckets[i];
                writer.Sample(Name + "_bucket", [("hostgroup", hostgroup), ("le", ExpositionWriter.FormatValue(BucketBounds[i]))], cumulative);
            }
            writer.Sample(Name + "_bucket", [("hostgroup", hostgroup), ("le", "+Inf")], row.Count);
            writer.Sample(Name + "_sum", [("hostgroup", hostgroup)], row.TotalTimeMicroseconds / 1e6);
            writer.Sample(Name + "_count", [("hostgroup", hostgroup)], row.Count);
        }
    }

    private static void WriteHeldStatements(ExpositionWriter writer, IReadOnlyList<Backends.HeldStatements> held)
    {
        writer.Family("proxylayer_statements_held_total", MetricType.Counter,
            "Statements that waited for a usable server of their hostgroup (a writer during a failover) instead of failing at once.");
        foreach (var row in held)
            writer.Sample([("hostgroup", row.Hostgroup.ToString(CultureInfo.InvariantCulture))], row.Count);
        writer.Family("proxylayer_statements_held_seconds_total", MetricType.Counter,
            "Total time statements waited for a usable server of their hostgroup (waits that ended).");
        foreach (var row in held)
            writer.Sample([("hostgroup", row.Hostgroup.ToString(CultureInfo.InvariantCulture))], row.WaitMicroseconds / 1e6);
        writer.Family("proxylayer_statements_waiting", MetricType.Gauge, "Statements waiting for a usable server of their hostgroup now.");
        foreach (var row in held)
            writer.Sample([("hostgroup", row.Hostgroup.ToString(CultureInfo.InvariantCulture))], row.WaitingNow);
    }

    private static void Counter(ExpositionWriter writer, string name, string help, IReadOnlyDictionary<string, long> globals, string variable)
    {
        if (globals.TryGetValue(variable, out var value))
            writer.Family(name, MetricType.Counter, help).Sample(value);
    }
}
