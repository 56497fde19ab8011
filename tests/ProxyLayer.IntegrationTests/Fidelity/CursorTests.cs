using System.Buffers.Binary;
using System.Text;
using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Fidelity;

/// <summary>
/// Server-side cursors: inside stored routines (the server flags the column definitions' EOF with
/// SERVER_STATUS_CURSOR_EXISTS and the rows still follow) and asked for by COM_STMT_EXECUTE (rows come with FETCH).
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class CursorTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    /// <summary>A routine that walks a cursor, then returns a result set (mysql-test's cursor-in-routine cases).</summary>
    private async Task<string> CreateCursorRoutineAsync()
    {
        var name = $"testdb.cursor_proc_{Guid.NewGuid():N}"[..31];
        await _server.ExecuteAsync($"""
            CREATE PROCEDURE {name}()
            BEGIN
              DECLARE total INT DEFAULT 0;
              FOR r IN (SELECT seq FROM seq_1_to_5) DO
                SET total = total + r.seq;
              END FOR;
              SELECT total AS total, 'after cursor' AS note;
              SELECT seq FROM seq_1_to_3;
            END
            """);
        return name;
    }

    [Fact]
    public async Task Call_of_a_routine_that_used_a_cursor_returns_its_rows()
    {
        var routine = await CreateCursorRoutineAsync();
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync(database: "testdb");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var command = new MySqlCommand($"CALL {routine}()", connection);
        await using var reader = await command.ExecuteReaderAsync(timeout.Token);
        Assert.True(await reader.ReadAsync(timeout.Token));
        Assert.Equal(15, Convert.ToInt32(reader["total"]));
        Assert.Equal("after cursor", reader["note"]);
        Assert.True(await reader.NextResultAsync(timeout.Token));
        var seqs = new List<long>();
        while (await reader.ReadAsync(timeout.Token))
            seqs.Add(Convert.ToInt64(reader[0]));
        Assert.Equal([1L, 2L, 3L], seqs);
        await reader.DisposeAsync();

        // The session goes on: nothing of the response was left behind on the connection.
        await using var next = new MySqlCommand("SELECT 41 + 1", connection);
        Assert.Equal(42L, Convert.ToInt64(await next.ExecuteScalarAsync(timeout.Token)));
    }

    [Fact]
    public async Task Call_of_a_cursor_routine_through_the_raw_protocol_without_deprecate_eof_completes()
    {
        var routine = await CreateCursorRoutineAsync();
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");

        await client.SendQueryAsync($"CALL {routine}()");
        var first = await client.ReadTextResultSetAsync();
        Assert.Equal("15", first.Single()[0]);
        var second = await client.ReadTextResultSetAsync();
        Assert.Equal(["1", "2", "3"], second.Select(row => row[0]));
        var end = await client.ReadPacketAsync(TimeSpan.FromSeconds(1));
        Assert.True(end.IsOk, end.Describe());

        await client.SendQueryAsync("SELECT 7");
        Assert.Equal("7", (await client.ReadTextResultSetAsync()).Single()[0]);
    }

    [Fact]
    public async Task Prepared_call_of_a_cursor_routine_returns_its_rows()
    {
        var routine = await CreateCursorRoutineAsync();
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync(database: "testdb");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var command = new MySqlCommand($"CALL {routine}()", connection);
        await command.PrepareAsync(timeout.Token);
        await using (var reader = await command.ExecuteReaderAsync(timeout.Token))
        {
            Assert.True(await reader.ReadAsync(timeout.Token));
            Assert.Equal(15, Convert.ToInt32(reader["total"]));
        }
        await using var next = new MySqlCommand("SELECT 42", connection);
        Assert.Equal(42L, Convert.ToInt64(await next.ExecuteScalarAsync(timeout.Token)));
    }

    [Fact]
    public async Task Execute_with_a_cursor_sends_no_rows_until_fetched()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");

        await client.WritePacketAsync(0, (byte[])[0x16, .. Encoding.UTF8.GetBytes("SELECT seq FROM seq_1_to_4")]);
        var prepareOk = await client.ReadPacketAsync();
        Assert.True(prepareOk.IsOk, prepareOk.Describe());
        var statementId = BinaryPrimitives.ReadUInt32LittleEndian(prepareOk.Payload.AsSpan(1));
        var columns = BinaryPrimitives.ReadUInt16LittleEndian(prepareOk.Payload.AsSpan(5));
        for (var i = 0; i < columns; i++)
            await client.ReadPacketAsync();
        Assert.True((await client.ReadPacketAsync()).IsEof);

        // COM_STMT_EXECUTE, CURSOR_TYPE_READ_ONLY, iteration count 1, no parameters.
        var execute = new byte[10];
        execute[0] = 0x17;
        BinaryPrimitives.WriteUInt32LittleEndian(execute.AsSpan(1), statementId);
        execute[5] = 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(execute.AsSpan(6), 1);
        await client.WritePacketAsync(0, execute);
        Assert.Equal(1, (await client.ReadPacketAsync()).Payload[0]); // column count
        await client.ReadPacketAsync(); // column definition
        var eof = await client.ReadPacketAsync();
        Assert.True(eof.IsEof);
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16LittleEndian(eof.Payload.AsSpan(3)) & 0x40);

        // COM_STMT_FETCH 2 rows, twice, then the end.
        var fetch = new byte[9];
        fetch[0] = 0x1C;
        BinaryPrimitives.WriteUInt32LittleEndian(fetch.AsSpan(1), statementId);
        BinaryPrimitives.WriteUInt32LittleEndian(fetch.AsSpan(5), 2);
        var rows = 0;
        for (var round = 0; round < 3; round++)
        {
            await client.WritePacketAsync(0, fetch);
            while (true)
            {
                var packet = await client.ReadPacketAsync();
                Assert.False(packet.IsError, packet.Describe());
                if (packet.IsEof)
                    break;
                rows++;
            }
        }
        Assert.Equal(4, rows);

        await client.SendQueryAsync("SELECT 5");
        Assert.Equal("5", (await client.ReadTextResultSetAsync()).Single()[0]);
    }
}
