using System.Net;
using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>
/// Each protocol violation gets MariaDB's own answer (code, SQLSTATE, message and packet number), checked by sending
/// the same bytes to the fixture's MariaDB and to the proxy; the connection is then closed, and another session on
/// the same proxy is not disturbed.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class ProtocolViolationTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>What a client sends after the greeting; the answer that follows is compared.</summary>
    public static TheoryData<string> Violations => ["attributes longer than the packet", "truncated response", "response numbered 5",
        "command numbered 1 after login", "command numbered 7 after login"];

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Violation_gets_the_answer_mariadb_gives_and_the_connection_is_closed(string violation)
    {
        await using var proxy = ProxyUnderTest.StartFor(fixture.Server, output);
        await using var bystander = await proxy.OpenAsync();

        var fromMariaDb = await ProvokeAsync(new IPEndPoint(IPAddress.Loopback, fixture.Server.Port), violation);
        var fromProxy = await ProvokeAsync(proxy.Endpoint, violation);

        output.WriteLine($"MariaDB: {fromMariaDb}; proxy: {fromProxy}");
        Assert.Equal(fromMariaDb, fromProxy);
        Assert.Equal(violation.Contains("numbered", StringComparison.Ordinal) ? 1156 : 1043, fromProxy.Code);
        await using var command = new MySqlCommand("SELECT 42", bystander);
        Assert.Equal(42L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_connect_attribute_that_overruns_its_block_gets_1043_where_mariadb_would_ignore_it()
    {
        await using var proxy = ProxyUnderTest.StartFor(fixture.Server, output);
        await using var client = await RawMySqlClient.ConnectAsync(proxy.Endpoint);
        var greeting = await client.ReadPacketAsync();

        // A 5-byte block whose value claims 9 bytes.
        await client.WritePacketAsync(1, RawMySqlClient.HandshakeResponse(greeting, RigCredentials.AppUser, RigCredentials.AppPassword,
            connectAttributes: [5, 1, (byte)'a', 9, (byte)'b', (byte)'c']));

        var reply = await client.ReadPacketAsync();
        Assert.Equal((1043, "08S01", "Bad handshake", (byte)2), (reply.Error.Code, reply.Error.SqlState, reply.Error.Message, reply.SequenceId));
        Assert.True(await client.WaitForCloseAsync(CloseTimeout));
    }

    [Fact]
    public async Task Out_of_order_commands_are_counted()
    {
        await using var proxy = ProxyUnderTest.StartFor(fixture.Server, output);
        await ProvokeAsync(proxy.Endpoint, "command numbered 1 after login");
        Assert.Equal(1, proxy.Host.Statistics.Globals.CommandsOutOfOrder);
    }

    [Fact]
    public async Task Handshake_errors_are_counted_per_interface()
    {
        await using var proxy = ProxyUnderTest.StartFor(fixture.Server, output);
        await ProvokeAsync(proxy.Endpoint, "truncated response");
        await ProvokeAsync(proxy.Endpoint, "attributes longer than the packet");
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Host.MySqlLogins.Counters.BadHandshake == 2), CloseTimeout),
            $"bad handshakes counted: {proxy.Host.MySqlLogins.Counters.BadHandshake}");
    }

    [Fact]
    public async Task An_admin_command_out_of_order_gets_1156_and_the_close()
    {
        await using var proxy = await AdminProxy.StartAsync(fixture.Server, output);
        await using var client = await RawMySqlClient.LoginAsync(proxy.AdminEndpoint, "radmin", "radmin");

        await client.WritePacketAsync(3, "\u0003SELECT 1"u8.ToArray());

        var reply = await client.ReadPacketAsync();
        Assert.Equal((1156, "08S01", (byte)0), (reply.Error.Code, reply.Error.SqlState, reply.SequenceId));
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
    }

    private sealed record Answer(byte SequenceId, int Code, string SqlState, string Message, bool Closed);

    private static async Task<Answer> ProvokeAsync(IPEndPoint endpoint, string violation)
    {
        await using var client = violation.Contains("after login", StringComparison.Ordinal)
            ? await RawMySqlClient.LoginAsync(endpoint, RigCredentials.AppUser, RigCredentials.AppPassword)
            : await RawMySqlClient.ConnectAsync(endpoint);
        switch (violation)
        {
            case "attributes longer than the packet":
            {
                var greeting = await client.ReadPacketAsync();
                // The block claims 0x40 bytes; 6 follow.
                await client.WritePacketAsync(1, RawMySqlClient.HandshakeResponse(greeting, RigCredentials.AppUser, RigCredentials.AppPassword,
                    connectAttributes: [0x40, 1, (byte)'a', 2, (byte)'b', (byte)'c']));
                break;
            }
            case "truncated response":
            {
                var greeting = await client.ReadPacketAsync();
                var response = RawMySqlClient.HandshakeResponse(greeting, RigCredentials.AppUser, RigCredentials.AppPassword);
                await client.WritePacketAsync(1, response.AsMemory(0, 40)); // the user name and what follows are cut
                break;
            }
            case "response numbered 5":
            {
                var greeting = await client.ReadPacketAsync();
                await client.WritePacketAsync(5, RawMySqlClient.HandshakeResponse(greeting, RigCredentials.AppUser, RigCredentials.AppPassword));
                break;
            }
            case "command numbered 1 after login":
                await client.WritePacketAsync(1, "\u0003SELECT 1"u8.ToArray());
                break;
            case "command numbered 7 after login":
                await client.WritePacketAsync(7, "\u0003SELECT 1"u8.ToArray());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(violation), violation, null);
        }
        var reply = await client.ReadPacketAsync();
        Assert.True(reply.IsError, reply.Describe());
        var closed = await client.WaitForCloseAsync(CloseTimeout);
        return new Answer(reply.SequenceId, reply.Error.Code, reply.Error.SqlState, reply.Error.Message, closed);
    }
}
