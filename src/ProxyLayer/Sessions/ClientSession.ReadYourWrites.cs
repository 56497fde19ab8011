using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Gtid;
using ProxyLayer.Protocol.Packets;

namespace ProxyLayer.Sessions;

/// <summary>
/// Read-your-writes on asynchronous replicas: the session remembers the GTID of its last commit (from the OK packet,
/// no extra round trip), and a read routed to another hostgroup goes to a server known to have applied it, or waits on
/// one (MASTER_GTID_WAIT) for at most <c>mysql-read_your_writes_wait_timeout_ms</c>, or goes to the hostgroup it wrote
/// to. A session that never wrote pays one null check per statement.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>Null until the session's first commit that reported a GTID.</summary>
    private SessionWrites? _writes;

    /// <summary>Asks a MariaDB server to report each commit's GTID in its OK packets (last_gtid).</summary>
    private static readonly byte[] TrackMariaDbGtidsCommand =
        BackendCommands.TextCommand(Protocol.CommandKind.Query, GtidFlavors.TrackingStatement(GtidFlavor.MariaDb));

    /// <summary>Asks a MySQL server to report the session's own GTIDs in its OK packets (session_track_gtids=OWN_GTID).</summary>
    private static readonly byte[] TrackMySqlGtidsCommand =
        BackendCommands.TextCommand(Protocol.CommandKind.Query, GtidFlavors.TrackingStatement(GtidFlavor.MySql));

    private void RecordWrite(BackendConnection backend, in RelayOutcome outcome)
    {
        var writes = _writes ??= new SessionWrites();
        if (outcome.HasGtid)
            writes.Record(outcome.CommittedGtid, _backendHostgroup, backend.Server);
        else
            writes.Record(outcome.CommittedMySqlGtid, _backendHostgroup, backend.Server);
        _backends.ReadYourWrites.OnGtidCollected();
    }

    /// <summary>
    /// The session's writes a statement for <paramref name="hostgroup"/> must see, or null. A rule's
    /// gtid_from_hostgroup (ProxySQL's meaning: the hostgroup whose writes the read must see) decides for its
    /// statements; otherwise the user's attribute or <c>mysql-read_your_writes</c>, for reads sent anywhere but
    /// the hostgroup the session wrote to.
    /// </summary>
    private SessionWrites? WritesToSee(int hostgroup, int? gtidFromHostgroup)
    {
        var writes = _writes;
        if (writes is null || hostgroup == writes.Hostgroup)
            return null;
        if (gtidFromHostgroup is { } from)
            return from == writes.Hostgroup ? writes : null;
        return _runtime.Snapshot.ReadYourWritesFor(_user!.Username) ? writes : null;
    }

    /// <summary>
    /// The writes a read annotated with <c>/* min_gtid=… */</c> must see: the annotation's GTIDs and
    /// <paramref name="own"/>. None for a read that goes to the hostgroup it would fall back to anyway (the one the
    /// session wrote to, else the user's default hostgroup: the writer in the usual setup).
    /// </summary>
    private SessionWrites? WritesToSee(int hostgroup, SessionWrites? own, string minGtid)
    {
        var fallback = own?.Hostgroup ?? _user!.DefaultHostgroup;
        return hostgroup == fallback ? own : SessionWrites.Requiring(own, minGtid, fallback) ?? own;
    }

    /// <summary>
    /// <c>SELECT @@last_gtid</c> (or <c>@@session.last_gtid</c>) while read-your-writes is in use: the session's last
    /// GTID per domain as this proxy recorded it (<c>d-s-n[,…]</c>, empty before its first write), not the value of
    /// whichever pooled backend connection would run it. An application carries it to another session's
    /// <c>/* min_gtid=… */</c> read.
    /// </summary>
    private bool TryAnswerLastGtid(ReadOnlySpan<char> sql)
    {
        if (!_runtime.Snapshot.ReadYourWritesInUse || !LastGtidQuery.TryParse(sql, out var column))
            return false;
        TextResultSetWriter.Write(_client, _capabilities, [column], [[_writes?.ToWaitPosition() ?? ""]], _status);
        return true;
    }

    /// <summary>Turns on GTID reporting on a connection that does not have it yet, when read-your-writes is in use at all.</summary>
    private static async ValueTask TrackGtidsAsync(BackendConnection backend, CancellationToken cancellationToken)
    {
        // Marked first: a server that refuses (an old MariaDB, a MySQL before 5.7) is not asked again on this connection.
        backend.TracksGtids = true;
        var command = GtidFlavors.Of(backend.ServerVersion) == GtidFlavor.MySql ? TrackMySqlGtidsCommand : TrackMariaDbGtidsCommand;
        await BackendCommands.ExecuteAsync(backend, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a connection of <paramref name="hostgroup"/> was taken for a read that must see <paramref name="writes"/>:
    /// true if its server has them (known, or after waiting); false if the read must go to the writer instead (the
    /// connection was released). Counted either way.
    /// </summary>
    private async ValueTask<bool> EnsureSeesWritesAsync(BackendConnection backend, int hostgroup, SessionWrites writes,
        CancellationToken cancellationToken)
    {
        var counters = _backends.ReadYourWrites;
        if (writes.IsAppliedBy(backend.Server))
        {
            counters.Count(hostgroup, ReadYourWritesOutcome.CaughtUp);
            backend.Server.OnGtidSyncedQuery();
            return true;
        }
        var settings = _runtime.Snapshot.Settings;
        if (settings.ReadYourWritesWaits)
        {
            var wait = GtidFlavors.WaitQuery(GtidFlavors.Of(backend.ServerVersion), writes.ToWaitPosition(), settings.ReadYourWritesWaitTimeoutMs);
            var (value, error) = await BackendCommands.QueryScalarAsync(backend, wait, cancellationToken).ConfigureAwait(false);
            // 0: applied; -1 (MariaDB) or 1 (MySQL): timed out; an error (no replication): the writer answers.
            if (error is null && value == "0")
            {
                counters.Count(hostgroup, ReadYourWritesOutcome.Waited);
                backend.Server.OnGtidSyncedQuery();
                return true;
            }
            if (error is not null)
                LogGtidWaitFailed(ConnectionId, backend.Server.ToString(), error.Message);
        }
        counters.Count(hostgroup, ReadYourWritesOutcome.Writer);
        ReleaseBackend(reusable: true);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id}: the GTID wait on {Server} failed ({Error}); the writer answers")]
    private partial void LogGtidWaitFailed(uint id, string server, string error);
}
