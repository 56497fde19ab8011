using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProxyLayer.Sessions;
using ProxyLayer.Sessions.State;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_processlist</c>, one row per client session. Besides ProxySQL's columns it says whether and
/// why a session keeps its backend connection: <c>status_flags</c> holds the <see cref="PinReasons"/> bits and
/// <c>extended_info</c> a JSON object such as
/// <c>{"phase":"Idle","in_transaction":false,"pinned":true,"pin_reasons":["UserVariables","TemporaryTable"]}</c>.
/// </summary>
internal static class ProcesslistStats
{
    public const string Table = "stats_mysql_processlist";

    private static readonly string[] Columns =
    [
        "ThreadID", "SessionID", "user", "db", "cli_host", "cli_port", "hostgroup", "l_srv_host", "l_srv_port",
        "srv_host", "srv_port", "command", "time_ms", "info", "status_flags", "extended_info",
    ];

    public static void Write(SqliteConnection connection, IReadOnlyList<SessionInfo> sessions, DateTimeOffset now)
    {
        using var table = StatsTableWriter.Replace(connection, Table, Columns);
        foreach (var session in sessions.OrderBy(s => s.ConnectionId))
        {
            var (serverHost, serverPort) = SplitHostPort(session.BackendServer);
            var since = session.CommandStartedAt ?? session.StartedAt;
            table.Add(0, (long)session.ConnectionId, session.Username, session.Schema, session.Remote?.Address.ToString(),
                session.Remote?.Port, session.Hostgroup ?? -1, null, null, serverHost, serverPort, CommandOf(session.Phase),
                Math.Max(0, (long)(now - since).TotalMilliseconds), session.CurrentQuery, (int)session.Pins, ExtendedInfo(session));
        }
    }

    /// <summary>MySQL's process-list words: Connect while logging in, Sleep between commands, Query while one runs.</summary>
    internal static string CommandOf(SessionPhase phase) => phase switch
    {
        SessionPhase.Handshaking => "Connect",
        SessionPhase.Idle => "Sleep",
        SessionPhase.Closing or SessionPhase.Closed => "Quit",
        _ => "Query",
    };

    internal static string ExtendedInfo(SessionInfo session)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("phase", session.Phase.ToString());
            json.WriteBoolean("in_transaction", session.InTransaction);
            json.WriteBoolean("pinned", session.Pins != PinReasons.None);
            json.WriteStartArray("pin_reasons");
            foreach (var reason in Enum.GetValues<PinReasons>())
            {
                if (reason != PinReasons.None && session.Pins.HasFlag(reason))
                    json.WriteStringValue(reason.ToString());
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static (string? Host, int? Port) SplitHostPort(string? server)
    {
        var colon = server?.LastIndexOf(':') ?? -1;
        if (server is null || colon < 0)
            return (server, null);
        return int.TryParse(server.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
            ? (server[..colon], port)
            : (server, null);
    }
}
