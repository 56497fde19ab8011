using ProxyLayer.Admin;
using ProxyLayer.Monitor;
using ProxyLayer.Tests.Admin;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

[Collection(VirtualTimeDefinition.Name)]
public class MonitorTableRefresherTests
{
    [Fact]
    public async Task Monitor_tables_show_the_logs_with_null_values_and_errors_for_failures()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db2")], replicationPair: true);
        h.Probe.SetReadOnly("db1", false);
        h.Probe.FailReadOnly("db2", ProbeFailureKind.Query);
        await h.StartAsync();
        await h.AdvanceAsync(1_010);

        using var store = AdminStore.OpenInMemory();
        var executor = new AdminStatementExecutor(store, new FakeRuntimeConfig(), new MonitorTableRefresher(h.Monitor.Logs));
        var session = new AdminSessionContext("admin", connectionId: 1);

        var readOnly = Assert.IsType<AdminResult.Rows>(executor.Execute(
            "SELECT hostname, port, read_only, error FROM monitor.mysql_server_read_only_log ORDER BY time_start_us, hostname", session));
        Assert.Equal(4, readOnly.Values.Count);
        AdminAssert.Row(["db1", "3306", "0", null], readOnly.Values[0]);
        Assert.Equal("db2", readOnly.Values[1][0]);
        Assert.Null(readOnly.Values[1][2]);
        Assert.Equal("Query: read_only failed", readOnly.Values[1][3]);

        var pings = Assert.IsType<AdminResult.Rows>(executor.Execute(
            "SELECT count(*), min(ping_success_time_us) > 0 FROM monitor.mysql_server_ping_log WHERE ping_error IS NULL", session));
        AdminAssert.Row(["4", "1"], pings.Values.Single());
    }
}
