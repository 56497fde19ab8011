using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// Bytes the proxy allocates per steady-state statement, through the whole session path (client socket, rules,
/// digest, stats, pool, backend socket, relay), for COM_QUERY and COM_STMT_EXECUTE against a real server. The client
/// runs on the test thread with blocking socket calls, and what that thread allocates is subtracted, so the figure
/// is the proxy's, less what the process allocates in an idle window as long. Allocation counts do not depend on the
/// machine's speed; the budget is the README's.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class AllocationBudgetTests(MariaDbFixture fixture, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    private const int Warmup = 3_000;
    private const int Measured = 15_000;
    private const int Windows = 3;

    /// <summary>
    /// The budgets per statement (README, "Benchmarks"): nothing, within what the measurement resolves. The lowest of
    /// three windows counts, so that a one-off allocation in the process (a tier-1 compilation's data, a timer, a pool
    /// refill) does not fail the test, while anything a statement allocates shows in every window: one object of
    /// the smallest size (24 bytes) per statement would read as 24.
    /// </summary>
    private const double TextBudgetBytes = 4;
    private const double PreparedBudgetBytes = 4;
    /// <summary>Per pair: two statements, each within the text budget (one 24-byte object per pair would still fail).</summary>
    private const double ReadYourWritesBudgetBytes = 2 * TextBudgetBytes;

    /// <summary>
    /// Read-your-writes on, and a session that writes then reads: the write's OK carries a GTID (session tracking),
    /// the read goes to another hostgroup (the same server, which made the write and so has it) and asks where the
    /// session's writes are. The pair is the unit; fewer of them, since each is a binlogged commit.
    /// </summary>
    private const int ReadYourWritesWarmup = 500;
    private const int ReadYourWritesMeasured = 2_000;

    /// <summary>
    /// The seed's read/write split rules (both regexes run for a SELECT), and no monitor: its checks allocate on their
    /// own schedule, which is not the statements' cost.
    /// </summary>
    private ProxyUnderTest StartProxy() => ProxyUnderTest.Start(
        ProxyUnderTest.ConfigFor(fixture.Server.Port, [new("mysql-monitor_enabled", "false")]) with
        {
            QueryRules =
            [
                new Config.QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT.*FOR UPDATE$", DestinationHostgroup = ProxyUnderTest.Hostgroup, Apply = true },
                new Config.QueryRuleConfig { RuleId = 2, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = ProxyUnderTest.Hostgroup, Apply = true },
            ],
        },
        output);

    [Fact]
    public async Task Text_statements_allocate_within_the_budget()
    {
        await using var proxy = StartProxy();
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        var query = Packet(0, [0x03, .. Encoding.ASCII.GetBytes("SELECT 12345")]);

        var perStatement = Measure(client.Stream, query);

        output.WriteLine($"COM_QUERY: {perStatement:F1} bytes allocated by the proxy per statement");
        Assert.True(perStatement <= TextBudgetBytes, $"{perStatement:F1} bytes per statement, budget {TextBudgetBytes}");
    }

    [Fact]
    public async Task Prepared_executes_allocate_within_the_budget()
    {
        await using var proxy = StartProxy();
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);
        var buffer = new byte[64 * 1024];
        client.Stream.Write(Packet(0, [0x16, .. Encoding.ASCII.GetBytes("SELECT ? + 1")]));
        var prepareOk = ReadPacket(client.Stream, buffer);
        Assert.Equal(0x00, buffer[0]);
        var statementId = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(1));
        var parameters = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(7));
        var columns = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(5));
        Assert.True(prepareOk >= 12 && parameters == 1 && columns == 1);
        for (var i = 0; i < parameters + 1 + columns + 1; i++)
            ReadPacket(client.Stream, buffer);

        // COM_STMT_EXECUTE id, no cursor, 1 iteration, null bitmap, new-params-bound, MYSQL_TYPE_LONGLONG, value 41
        var execute = new byte[] { 0x17, 0, 0, 0, 0, 0x00, 1, 0, 0, 0, 0x00, 0x01, 0x08, 0x00, 41, 0, 0, 0, 0, 0, 0, 0 };
        BinaryPrimitives.WriteUInt32LittleEndian(execute.AsSpan(1), statementId);

        var perStatement = Measure(client.Stream, Packet(0, execute));

        output.WriteLine($"COM_STMT_EXECUTE: {perStatement:F1} bytes allocated by the proxy per statement");
        Assert.True(perStatement <= PreparedBudgetBytes, $"{perStatement:F1} bytes per statement, budget {PreparedBudgetBytes}");
    }

    [Fact]
    public async Task A_write_then_a_read_with_read_your_writes_on_allocate_within_the_budget()
    {
        const int Readers = ProxyUnderTest.Hostgroup + 10;
        await fixture.Server.ExecuteAsync("CREATE TABLE IF NOT EXISTS testdb.ryw_budget (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=MEMORY");
        await fixture.Server.ExecuteAsync("REPLACE INTO testdb.ryw_budget VALUES (1, 0)");
        var config = ProxyUnderTest.ConfigFor(fixture.Server.Port,
            [new("mysql-monitor_enabled", "false"), new("mysql-read_your_writes", "true"), new("mysql-read_your_writes_fallback", "writer")]);
        await using var proxy = ProxyUnderTest.Start(config with
        {
            Servers = config.Servers.Add(config.Servers[0] with { HostgroupId = Readers }),
            QueryRules = [new Config.QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = Readers, Apply = true }],
        }, output);
        // GTIDs travel in OK packets' session-state records: only connections negotiated with CLIENT_SESSION_TRACK have them.
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword,
            extraCapabilities: RawMySqlClient.SessionTrack);
        var write = Packet(0, [0x03, .. Encoding.ASCII.GetBytes("UPDATE testdb.ryw_budget SET n = n + 1 WHERE id = 1")]);
        var read = Packet(0, [0x03, .. Encoding.ASCII.GetBytes("SELECT n FROM testdb.ryw_budget WHERE id = 1")]);
        var buffer = new byte[64 * 1024];
        void Pair()
        {
            client.Stream.Write(write);
            ReadPacket(client.Stream, buffer);
            if (buffer[0] != 0x00)
                throw new InvalidOperationException("the UPDATE did not answer OK");
            RoundTrip(client.Stream, read, buffer);
        }

        var perPair = Measure(Pair, ReadYourWritesWarmup, ReadYourWritesMeasured);

        var counters = proxy.Host.Backends.ReadYourWrites;
        output.WriteLine($"write + read with read-your-writes: {perPair:F1} bytes allocated by the proxy per pair; GTIDs collected " +
            $"{counters.GtidsCollected}, reads caught up {counters.Get(Readers, Gtid.ReadYourWritesOutcome.CaughtUp)}");
        // The path under test was taken: every write reported its GTID and every read needed (and had) it.
        var pairs = ReadYourWritesWarmup + Windows * ReadYourWritesMeasured;
        Assert.Equal(pairs, counters.GtidsCollected);
        Assert.Equal(pairs, counters.Get(Readers, Gtid.ReadYourWritesOutcome.CaughtUp));
        Assert.True(perPair <= ReadYourWritesBudgetBytes, $"{perPair:F1} bytes per pair, budget {ReadYourWritesBudgetBytes}");
    }

    private double Measure(NetworkStream stream, byte[] command)
    {
        var buffer = new byte[64 * 1024];
        return Measure(() => RoundTrip(stream, command, buffer), Warmup, Measured);
    }

    /// <summary>
    /// Runs <paramref name="statement"/> (a command and its whole answer) over and over; bytes per statement. What the
    /// process allocates meanwhile without any statement (timers, the test runner) is measured over an idle window of
    /// the same length right after, and subtracted: on a loaded machine the statements take longer and that background
    /// grows with them.
    /// </summary>
    private double Measure(Action statement, int warmup, int measured)
    {
        for (var i = 0; i < warmup; i++)
            statement();
        var lowest = double.MaxValue;
        for (var window = 0; window < Windows; window++)
            lowest = Math.Min(lowest, MeasureWindow(statement, measured));
        return lowest;
    }

    private double MeasureWindow(Action statement, int measured)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var allTotal = GC.GetTotalAllocatedBytes(precise: true);
        var thisThread = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < measured; i++)
            statement();
        var clientBytes = GC.GetAllocatedBytesForCurrentThread() - thisThread;
        var busyTotal = GC.GetTotalAllocatedBytes(precise: true) - allTotal - clientBytes;
        var busyTime = clock.Elapsed;

        var idleStart = GC.GetTotalAllocatedBytes(precise: true);
        Thread.Sleep(busyTime);
        var idleBytes = GC.GetTotalAllocatedBytes(precise: true) - idleStart;

        var perStatement = (double)(busyTotal - idleBytes) / measured;
        output.WriteLine($"{measured} statements in {busyTime.TotalSeconds:F1} s: {busyTotal} bytes, of which {idleBytes} " +
            $"allocated in as long idle; client thread {clientBytes} bytes: {perStatement:F1} bytes per statement");
        return perStatement;
    }

    /// <summary>One command and its answer: an OK/ERR, or a result set up to its closing EOF (no DEPRECATE_EOF).</summary>
    private static void RoundTrip(NetworkStream stream, byte[] command, byte[] buffer)
    {
        stream.Write(command);
        var length = ReadPacket(stream, buffer);
        if (buffer[0] is 0x00 or 0xFF && length < 0xFB)
            throw new InvalidOperationException($"expected a result set, got {(buffer[0] == 0xFF ? "an error" : "an OK")}");
        var eofs = 0;
        while (eofs < 2)
        {
            length = ReadPacket(stream, buffer);
            if (buffer[0] == 0xFE && length < 9)
                eofs++;
            else if (buffer[0] == 0xFF)
                throw new InvalidOperationException("error inside the result set");
        }
    }

    /// <summary>Reads one packet's payload into <paramref name="buffer"/>; returns its length.</summary>
    private static int ReadPacket(NetworkStream stream, byte[] buffer)
    {
        stream.ReadExactly(buffer.AsSpan(0, 4));
        var length = buffer[0] | (buffer[1] << 8) | (buffer[2] << 16);
        stream.ReadExactly(buffer.AsSpan(0, length));
        return length;
    }

    private static byte[] Packet(byte sequenceId, byte[] payload)
    {
        var packet = new byte[4 + payload.Length];
        packet[0] = (byte)payload.Length;
        packet[1] = (byte)(payload.Length >> 8);
        packet[2] = (byte)(payload.Length >> 16);
        packet[3] = sequenceId;
        payload.CopyTo(packet, 4);
        return packet;
    }
}
