using System.Globalization;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;

namespace ProxyLayer.Sessions;

/// <summary>
/// Connection ids as clients know them: the proxy's own (the greeting's thread id). <c>KILL</c> and
/// <c>CONNECTION_ID()</c> use them, and a KILL is carried out on whatever backend connection serves the named session
/// at that moment; with multiplexing that changes from one statement to the next.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>The backend connection a statement of this session is running on right now; null between statements.</summary>
    private volatile BackendConnection? _busyBackend;
    /// <summary>When the running statement was sent (Environment.TickCount64); meaningful while <see cref="_busyBackend"/> is set.</summary>
    private long _busySince;
    private int _killRequested;

    /// <summary>ProxySQL's rule: a session may kill only sessions of its own user (ER 1095 otherwise).</summary>
    private async Task KillAsync(KillStatement kill)
    {
        if (!_registry.TryGet(kill.ThreadId, out var target))
        {
            await SendErrorAsync(new MySqlError(1094, "HY000", $"Unknown thread id: {kill.ThreadId}")).ConfigureAwait(false);
            return;
        }
        if (!string.Equals(target.Username, Username, StringComparison.Ordinal))
        {
            await SendErrorAsync(new MySqlError(1095, "HY000", $"You are not owner of thread {kill.ThreadId}")).ConfigureAwait(false);
            return;
        }
        if (ReferenceEquals(target, this))
        {
            if (kill.QueryOnly)
            {
                // Nothing else of this session runs while its KILL does.
                await SendOkAsync().ConfigureAwait(false);
                return;
            }
            await SendErrorAsync(new MySqlError(1927, "70100", "Connection was killed")).ConfigureAwait(false);
            _phase = SessionPhase.Closing;
            return;
        }
        var error = kill.QueryOnly
            ? await target.KillRunningStatementAsync(_credentials!).ConfigureAwait(false)
            : await target.KillSessionAsync(_credentials!, "KILL CONNECTION from session " + ConnectionId).ConfigureAwait(false);
        if (error is not null)
            await SendErrorAsync(error).ConfigureAwait(false);
        else
            await SendOkAsync().ConfigureAwait(false);
    }

    /// <summary>KILL QUERY: the statement running now on this session's backend connection, if any, ends with ERR 1317.</summary>
    private async Task<MySqlError?> KillRunningStatementAsync(BackendCredentials credentials)
    {
        if (_busyBackend is not { } backend)
            return null;
        try
        {
            return await ServerSideKill.KillAsync(backend, credentials, connection: false).ConfigureAwait(false);
        }
        catch (BackendConnectException ex)
        {
            return new MySqlError(ErrorCodes.ProxyInternalError, "HY000", $"KILL QUERY could not reach {backend.Server}: {ex.Message}");
        }
    }

    /// <summary>
    /// Ends this session from outside (a KILL from another session, or its client gone mid-statement): the statement
    /// running on its backend connection is killed with that connection, so its locks and transaction go at once, and
    /// the client connection is closed.
    /// </summary>
    internal async Task<MySqlError?> KillSessionAsync(BackendCredentials? credentials, string why)
    {
        if (Interlocked.Exchange(ref _killRequested, 1) != 0)
            return null;
        LogKilled(ConnectionId, why);
        MySqlError? error = null;
        if (_busyBackend is { } backend)
        {
            backend.MarkBroken();
            try
            {
                error = await ServerSideKill.KillAsync(backend, credentials ?? _credentials!, connection: true).ConfigureAwait(false);
            }
            catch (BackendConnectException ex)
            {
                LogKillFailed(ConnectionId, backend.Server.ToString(), ex.Message);
            }
            backend.Abort();
        }
        _transport.Abort();
        return error is { Code: 1094 } ? null : error; // the backend thread ended by itself meanwhile
    }

    /// <summary>
    /// True while a statement has been running for more than <paramref name="minimumMs"/> and the client closed its
    /// connection (the socket is readable with nothing to read), seen on two calls in a row for the same statement, so
    /// a passing state of the socket is not taken for a departure. A client that sent its next command early is not
    /// taken for gone; nor is one relaying a LOCAL INFILE file. Called by the watchdog's thread only.
    /// </summary>
    internal bool IsAbandonedStatement(long now, long minimumMs)
    {
        var since = Volatile.Read(ref _busySince);
        if (_busyBackend is null || _phase == SessionPhase.RelayingLocalInfile || now - since < minimumMs || !_transport.IsPeerClosed())
        {
            _seenGoneDuring = 0;
            return false;
        }
        if (_seenGoneDuring == since)
            return true;
        _seenGoneDuring = since;
        return false;
    }

    /// <summary>The <see cref="_busySince"/> of the statement whose client the watchdog last saw gone; 0 if none.</summary>
    private long _seenGoneDuring;

    private void MarkBusy(BackendConnection backend)
    {
        Volatile.Write(ref _busySince, Environment.TickCount64);
        _busyBackend = backend;
    }

    private void MarkIdle() => _busyBackend = null;

    /// <summary>
    /// <c>SELECT CONNECTION_ID()</c> (with an optional alias) answers the id the client was greeted with, the one
    /// <c>KILL</c> takes, rather than the thread id of whichever backend connection would run it.
    /// </summary>
    private bool TryAnswerConnectionId(ReadOnlySpan<char> sql)
    {
        if (!ConnectionIdQuery.TryParse(sql, out var column))
            return false;
        TextResultSetWriter.Write(_client, _capabilities, [column], [[ConnectionId.ToString(CultureInfo.InvariantCulture)]], _status,
            [ColumnType.LongLong]);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "session {Id} killed: {Why}")]
    private partial void LogKilled(uint id, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {Id}: could not kill its statement on {Server}: {Error}")]
    private partial void LogKillFailed(uint id, string server, string error);
}
