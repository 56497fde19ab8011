using System.Net;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// A refused COM_CHANGE_USER: the same script runs against MariaDB directly and through the proxy, and what the client
/// sees must match. MariaDB answers 1045 and keeps the connection, logged in as before, in the same database, with the
/// rest of the session reset; after three refusals it answers every COM_CHANGE_USER with "Unknown command".
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ChangeUserFailureTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    private IPEndPoint Direct => new(IPAddress.Loopback, _server.Port);

    [Fact]
    public async Task Refused_change_user_answers_1045_and_the_session_goes_on_reset_as_the_server_does()
    {
        var table = await Scratch.CreateTableAsync(_server, "cu_fail", "id INT PRIMARY KEY");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        var direct = await RefusedChangeUserScriptAsync(Direct, table);
        var proxied = await RefusedChangeUserScriptAsync(proxy.Endpoint, table);

        output.WriteLine("direct:  " + string.Join(" / ", direct));
        output.WriteLine("proxied: " + string.Join(" / ", proxied));
        Assert.Equal("ERR 1045 (28000): Access denied for user 'appuser'@'127.0.0.1' (using password: YES)", direct[0]);
        Assert.Equal(direct, proxied);
    }

    private static async Task<List<string>> RefusedChangeUserScriptAsync(IPEndPoint endpoint, string table)
    {
        await using var client = await RawMySqlClient.LoginAsync(endpoint, RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");
        await QueryAsync(client, "SET @kept = 42, time_zone = '+05:00'");
        await QueryAsync(client, "CREATE TEMPORARY TABLE cu_temp (a INT)");
        await QueryAsync(client, "BEGIN");
        await QueryAsync(client, $"INSERT INTO {table} VALUES (1)");

        var observed = new List<string> { (await client.ChangeUserAsync(RigCredentials.AppUser, "wrong", "mysql")).Describe() };
        // Still logged in as before and in the same database; variables, the temporary table and the transaction are gone.
        observed.Add(await QueryAsync(client, "SELECT CURRENT_USER(), DATABASE(), @kept, @@time_zone, @@in_transaction"));
        observed.Add(await QueryAsync(client, "SELECT COUNT(*) FROM cu_temp"));
        observed.Add(await QueryAsync(client, $"SELECT COUNT(*) FROM {table}"));
        // A right password afterwards is accepted.
        observed.Add((await client.ChangeUserAsync(RigCredentials.AppUser, RigCredentials.AppPassword, "testdb")).IsOk ? "OK" : "refused");
        observed.Add(await QueryAsync(client, "SELECT CURRENT_USER(), DATABASE()"));
        return observed;
    }

    [Fact]
    public async Task After_three_refusals_change_user_is_an_unknown_command_as_on_the_server()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);

        var direct = await RepeatedRefusalsAsync(Direct);
        var proxied = await RepeatedRefusalsAsync(proxy.Endpoint);

        output.WriteLine("direct:  " + string.Join(" / ", direct));
        output.WriteLine("proxied: " + string.Join(" / ", proxied));
        Assert.Equal(direct, proxied);
    }

    private static async Task<List<string>> RepeatedRefusalsAsync(IPEndPoint endpoint)
    {
        await using var client = await RawMySqlClient.LoginAsync(endpoint, RigCredentials.AppUser, RigCredentials.AppPassword, "testdb");
        var observed = new List<string>();
        for (var i = 0; i < 3; i++)
            observed.Add((await client.ChangeUserAsync(RigCredentials.AppUser, "wrong")).Describe());
        // Even the right password: the connection has used up its attempts.
        observed.Add((await client.ChangeUserAsync(RigCredentials.AppUser, RigCredentials.AppPassword)).Describe());
        observed.Add(await QueryAsync(client, "SELECT CURRENT_USER()"));
        return observed;
    }

    /// <summary>The rows of a result set as text, "OK" for an OK, or the error.</summary>
    private static async Task<string> QueryAsync(RawMySqlClient client, string sql)
    {
        await client.SendQueryAsync(sql);
        try
        {
            var rows = await client.ReadTextResultSetAsync();
            return rows.Count == 0 ? "OK" : string.Join("; ", rows.Select(row => string.Join(" | ", row.Select(value => value ?? "NULL"))));
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }
}
