using System.Globalization;
using System.Text;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>MySqlConnector through the proxy: large packets, multi-statements, the binary protocol, LOCAL INFILE.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class ConnectorTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Blob_of_20_MB_round_trips_byte_identical()
    {
        // 20 MB escaped in a text-protocol INSERT spans two 16 MB wire packets each way. The rig server starts with
        // max_allowed_packet 64M; set it again so the test does not depend on that. The proxy's own
        // mysql-max_allowed_packet defaults to 64 MB, which is what this test runs with.
        await _server.ExecuteAsync("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
        var table = await Scratch.CreateTableAsync(_server, "blob", "id INT PRIMARY KEY, data LONGBLOB", engine: "MyISAM");
        var data = new byte[20 * 1024 * 1024];
        new Random(20).NextBytes(data);
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();

        await using (var insert = new MySqlCommand($"INSERT INTO {table} (id, data) VALUES (1, @data)", connection))
        {
            insert.Parameters.AddWithValue("@data", data);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var select = new MySqlCommand($"SELECT data, LENGTH(data), SHA2(data, 256) FROM {table} WHERE id = 1", connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var readBack = (byte[])reader.GetValue(0);
        Assert.Equal(data.Length, reader.GetInt64(1));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), reader.GetString(2));
        Assert.True(data.AsSpan().SequenceEqual(readBack), "the blob read back differs from the one written");
    }

    [Fact]
    public async Task Two_statements_in_one_command_return_two_result_sets()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();
        await using var command = new MySqlCommand("SELECT 1; SELECT 2", connection);

        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.False(await reader.ReadAsync());
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2, reader.GetInt32(0));
        Assert.False(await reader.ReadAsync());
        Assert.False(await reader.NextResultAsync());
    }

    [Fact]
    public async Task Prepared_statement_round_trips_every_common_type()
    {
        var table = await Scratch.CreateTableAsync(_server, "types",
            "id INT PRIMARY KEY, i INT NULL, b BIGINT NULL, d DOUBLE NULL, m DECIMAL(20,6) NULL, s VARCHAR(100) NULL, " +
            "bl BLOB NULL, dt DATETIME(6) NULL");
        var preparesBefore = await ServerStatusAsync("COM_STMT_PREPARE");
        var executesBefore = await ServerStatusAsync("COM_STMT_EXECUTE");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync(configure: b => b.IgnorePrepare = false);
        var blob = new byte[] { 0, 1, 2, 0xFF, 0xFE, (byte)'\'', (byte)'\\', 0 };
        var moment = new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Unspecified).AddTicks(1234560);
        var text = "héllo wörld ✓ 'quoted' \\ back";

        await using (var insert = new MySqlCommand(
            $"INSERT INTO {table} (id, i, b, d, m, s, bl, dt) VALUES (@id, @i, @b, @d, @m, @s, @bl, @dt)", connection))
        {
            insert.Parameters.Add("@id", MySqlDbType.Int32);
            insert.Parameters.Add("@i", MySqlDbType.Int32);
            insert.Parameters.Add("@b", MySqlDbType.Int64);
            insert.Parameters.Add("@d", MySqlDbType.Double);
            insert.Parameters.Add("@m", MySqlDbType.NewDecimal);
            insert.Parameters.Add("@s", MySqlDbType.VarChar);
            insert.Parameters.Add("@bl", MySqlDbType.Blob);
            insert.Parameters.Add("@dt", MySqlDbType.DateTime);
            await insert.PrepareAsync();
            SetAll(insert, 1, -2_000_000_000, long.MinValue + 1, Math.PI, 12345678901234.567891m, text, blob, moment);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            SetAll(insert, 2, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var select = new MySqlCommand($"SELECT i, b, d, m, s, bl, dt FROM {table} WHERE id = @id", connection);
        select.Parameters.Add("@id", MySqlDbType.Int32);
        await select.PrepareAsync();

        select.Parameters["@id"].Value = 1;
        await using (var reader = await select.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(-2_000_000_000, reader.GetInt32(0));
            Assert.Equal(long.MinValue + 1, reader.GetInt64(1));
            Assert.Equal(Math.PI, reader.GetDouble(2));
            Assert.Equal(12345678901234.567891m, reader.GetDecimal(3));
            Assert.Equal(text, reader.GetString(4));
            Assert.Equal(blob, (byte[])reader.GetValue(5));
            Assert.Equal(moment, reader.GetDateTime(6));
            Assert.False(await reader.ReadAsync());
        }

        select.Parameters["@id"].Value = 2;
        await using (var reader = await select.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            for (var column = 0; column < reader.FieldCount; column++)
                Assert.True(reader.IsDBNull(column), $"column {reader.GetName(column)} should be NULL");
        }

        // The statements really went through COM_STMT_PREPARE / COM_STMT_EXECUTE on the backend.
        Assert.True(await ServerStatusAsync("COM_STMT_PREPARE") - preparesBefore >= 2, "the backend saw fewer than 2 prepares");
        Assert.True(await ServerStatusAsync("COM_STMT_EXECUTE") - executesBefore >= 4, "the backend saw fewer than 4 executes");
    }

    [Fact]
    public async Task Bulk_loader_with_local_infile_loads_100k_rows()
    {
        const int rows = 100_000;
        var table = await Scratch.CreateTableAsync(_server, "bulk", "id INT PRIMARY KEY, name VARCHAR(32), amount DECIMAL(10,2)");
        var file = Path.Combine(Path.GetTempPath(), $"proxylayer-bulk-{Guid.NewGuid():N}.tsv");
        var text = new StringBuilder();
        for (var i = 1; i <= rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i}\tname-{i}\t{i % 1000}.25\n");
        await File.WriteAllTextAsync(file, text.ToString());
        try
        {
            await using var proxy = ProxyUnderTest.StartFor(_server, output);
            await using var connection = await proxy.OpenAsync(configure: b => b.AllowLoadLocalInfile = true);
            var loader = new MySqlBulkLoader(connection)
            {
                FileName = file,
                TableName = table,
                Local = true,
                FieldTerminator = "\t",
                LineTerminator = "\n",
            };

            var loaded = await loader.LoadAsync();

            Assert.Equal(rows, loaded);
            Assert.Equal(rows, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));
            Assert.Equal((long)rows * (rows + 1) / 2, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
            // and the session is still usable after the file transfer
            await using var count = new MySqlCommand($"SELECT COUNT(*) FROM {table} WHERE name = 'name-{rows}'", connection);
            Assert.Equal(1L, Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void SetAll(MySqlCommand command, int id, object i, object b, object d, object m, object s, object bl, object dt)
    {
        command.Parameters["@id"].Value = id;
        command.Parameters["@i"].Value = i;
        command.Parameters["@b"].Value = b;
        command.Parameters["@d"].Value = d;
        command.Parameters["@m"].Value = m;
        command.Parameters["@s"].Value = s;
        command.Parameters["@bl"].Value = bl;
        command.Parameters["@dt"].Value = dt;
    }

    private Task<long> ServerStatusAsync(string name) =>
        Scratch.CountAsync(_server, $"SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '{name}'");
}
