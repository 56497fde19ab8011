using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>Transfers big enough to span many packets and frames, checked end to end with MySqlConnector.</summary>
internal static class LargeTransfers
{
    /// <summary>Writes a 20 MB blob through the proxy and reads it back; spans two 16 MB packets each way.</summary>
    public static async Task AssertBlobRoundTripsAsync(MariaDbServer server, MySqlConnection connection)
    {
        var table = await Scratch.CreateTableAsync(server, "link_blob", "id INT PRIMARY KEY, data LONGBLOB", engine: "MyISAM");
        var data = new byte[20 * 1024 * 1024];
        new Random(20).NextBytes(data.AsSpan(0, data.Length / 2)); // half random, half zeros: some of it compresses
        await using (var insert = new MySqlCommand($"INSERT INTO {table} (id, data) VALUES (1, @data)", connection))
        {
            insert.Parameters.AddWithValue("@data", data);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var select = new MySqlCommand($"SELECT data, SHA2(data, 256) FROM {table} WHERE id = 1", connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), reader.GetString(1));
        Assert.True(data.AsSpan().SequenceEqual((byte[])reader.GetValue(0)), "the blob read back differs from the one written");
    }

    /// <summary>200,000 rows of 100+ bytes: many frames of a compressed or encrypted result set, read to the end.</summary>
    public static async Task AssertLargeResultSetAsync(MySqlConnection connection)
    {
        await using var command = new MySqlCommand(
            "SELECT seq, REPEAT(CHAR(65 + seq % 26 USING ascii), 100 + seq % 50) FROM testdb.seq_1_to_200000 ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0;
        long sum = 0;
        while (await reader.ReadAsync())
        {
            var seq = reader.GetInt64(0);
            var text = reader.GetString(1);
            Assert.Equal(100 + (int)(seq % 50), text.Length);
            Assert.Equal((char)(65 + seq % 26), text[^1]);
            rows++;
            sum += seq;
        }
        Assert.Equal(200_000, rows);
        Assert.Equal(200_000L * 200_001 / 2, sum);
    }
}
