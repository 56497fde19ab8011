using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>Many real client connections at once, then a check that no backend connection was leaked.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class ConcurrencyTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 200;

    // An account of its own, so the backend's process list counts exactly this test's connections.
    private const string SoakUser = "soakuser";
    private const string SoakPassword = "soakpass";

    private readonly MariaDbServer _server = fixture.Server;

    /// <summary>PROXYLAYER_SOAK_SECONDS, default 10.</summary>
    private static TimeSpan SoakDuration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("PROXYLAYER_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 10);

    [Fact]
    public async Task Two_hundred_clients_mix_reads_and_writes_without_errors_or_leaks()
    {
        await Scratch.CreateUserAsync(_server, SoakUser, SoakPassword);
        var table = await Scratch.CreateTableAsync(_server, "soak",
            "id BIGINT AUTO_INCREMENT PRIMARY KEY, client INT NOT NULL, n INT NOT NULL, note VARCHAR(64), KEY (client)");
        await using var proxy = ProxyUnderTest.StartFor(_server, output, extraUsers: [ProxyUnderTest.User(SoakUser, SoakPassword)]);
        var connectionString = proxy.ConnectionString(SoakUser, SoakPassword, "testdb", b =>
        {
            b.Pooling = false; // every client is its own proxy session
            b.ConnectionTimeout = 30;
            b.DefaultCommandTimeout = 30;
        });
        var errors = new ConcurrentQueue<string>();
        var inserted = new long[Clients];
        var operations = 0L;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(SoakDuration);

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => RunClientAsync(client))));
        output.WriteLine($"{Clients} clients, {operations} operations in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(errors.IsEmpty, $"{errors.Count} errors, first ones:\n{string.Join("\n", errors.Take(5))}");
        Assert.True(operations > Clients, $"only {operations} operations ran");
        Assert.Equal(inserted.Sum(), await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));

        // Every client is gone: the proxy holds at most its idle cap of backend connections, all idle, and the
        // backend sees exactly the connections the proxy thinks it has.
        var idleCap = 1000 * 10 / 100; // max_connections (1000) × mysql-free_connections_pct (10 %)
        long lastCount = -1;
        var settled = await Scratch.EventuallyAsync(async () =>
        {
            lastCount = await Scratch.BackendConnectionsAsync(_server, SoakUser);
            return proxy.Host.Sessions.Count == 0 && proxy.Backend.UsedConnections == 0 &&
                lastCount <= idleCap && lastCount == proxy.Backend.OpenConnections;
        }, TimeSpan.FromSeconds(5));
        Assert.True(settled,
            $"after the clients closed: backend process list has {lastCount} connections for {SoakUser} (idle cap {idleCap}); " +
            $"proxy: {proxy.Host.Sessions.Count} sessions, {proxy.Backend.OpenConnections} open, {proxy.Backend.IdleConnections} idle backend connections");

        async Task RunClientAsync(int client)
        {
            try
            {
                await using var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync();
                var random = new Random(client);
                for (var step = 0; !stop.IsCancellationRequested; step++)
                {
                    switch (random.Next(4))
                    {
                        case 0:
                            await using (var insert = new MySqlCommand($"INSERT INTO {table} (client, n, note) VALUES (@c, @n, 'plain')", connection))
                            {
                                insert.Parameters.AddWithValue("@c", client);
                                insert.Parameters.AddWithValue("@n", step);
                                await insert.ExecuteNonQueryAsync();
                            }

                            inserted[client]++;
                            break;
                        case 1:
                            // read-your-writes on the session's own rows
                            await using (var count = new MySqlCommand($"SELECT COUNT(*) FROM {table} WHERE client = @c", connection))
                            {
                                count.Parameters.AddWithValue("@c", client);
                                var rows = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                                if (rows != inserted[client])
                                    errors.Enqueue($"client {client}: sees {rows} own rows, wrote {inserted[client]}");
                            }

                            break;
                        case 2:
                            await using (var transaction = await connection.BeginTransactionAsync())
                            {
                                await using var insert = new MySqlCommand(
                                    $"INSERT INTO {table} (client, n, note) VALUES (@c, @n, 'tx'); UPDATE {table} SET note = 'tx-done' WHERE id = LAST_INSERT_ID()",
                                    connection, transaction);
                                insert.Parameters.AddWithValue("@c", client);
                                insert.Parameters.AddWithValue("@n", step);
                                await insert.ExecuteNonQueryAsync();
                                await transaction.CommitAsync();
                            }

                            inserted[client]++;
                            break;
                        default:
                            await using (var select = new MySqlCommand("SELECT @@hostname, CONNECTION_ID(), REPEAT('x', 2000)", connection))
                            await using (var reader = await select.ExecuteReaderAsync())
                            {
                                if (!await reader.ReadAsync() || reader.GetString(2).Length != 2000)
                                    errors.Enqueue($"client {client}: bad row");
                            }

                            break;
                    }

                    Interlocked.Increment(ref operations);
                }
            }
            catch (Exception ex)
            {
                errors.Enqueue($"client {client}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
