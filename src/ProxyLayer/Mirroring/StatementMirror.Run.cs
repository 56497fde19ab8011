using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Protocol;
using ProxyLayer.Routing;
using ProxyLayer.Sessions;
using ProxyLayer.Sessions.State;
using ProxyLayer.Stats;

namespace ProxyLayer.Mirroring;

/// <summary>One mirrored statement: where it goes, a connection in the user's name, the statement, its answer dropped.</summary>
internal sealed partial class StatementMirror
{
    /// <summary>Runs one copy. True if the backend answered (even with an error); false if it could not be run.</summary>
    private async Task<bool> RunAsync(MirrorRequest request, CancellationToken cancellationToken)
    {
        var snapshot = _runtime.Snapshot;
        var hostgroup = request.MirrorHostgroup ?? request.DefaultHostgroup;
        var query = request.Query;
        QueryDigestResult? digest = null;
        if (request.MirrorFlagOut is { } flagOut)
        {
            // ProxySQL evaluates the copy's rules from mirror_flagOUT; the copy has no client address.
            var outcome = snapshot.Rules.Evaluate(new QueryRuleInput
            {
                Query = query.AsMemory(),
                Username = request.PoolKey.Username,
                Schemaname = request.Schema,
                FlagIn = flagOut,
            }, snapshot.FastRouting);
            if (outcome.ErrorMsg is not null || outcome.OkMsg is not null)
                return true; // answered by the rules: nothing reaches a backend
            hostgroup = outcome.DestinationHostgroup ?? hostgroup;
            query = outcome.RewrittenQuery ?? query;
            digest = outcome.Digest;
        }

        BackendConnection backend;
        try
        {
            backend = await _backends.AcquireAsync(hostgroup, request.Credentials, request.PoolKey, request.Schema, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendAcquireException ex)
        {
            LogMirrorFailed(hostgroup, ex.Error.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        var reusable = false;
        var started = _statistics.GetTimestamp();
        try
        {
            await BackendCommands.ClosePendingStatementsAsync(backend, cancellationToken).ConfigureAwait(false);
            var state = new SessionState(request.Schema, request.CharacterSetStatement);
            var error = await StateSynchronizer.SyncAsync(state, state, backend, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                reusable = true;
                LogMirrorFailed(hostgroup, error.Message);
                return false;
            }

            var channel = backend.Channel;
            channel.StartCommand();
            channel.WritePayload(BackendCommands.TextCommand(CommandKind.Query, query));
            await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
            RelayOutcome outcome;
            using var timeout = new QueryTimeout(_logger);
            using (timeout.Arm(snapshot.Settings.DefaultQueryTimeout, backend, request.Credentials))
            {
                outcome = await new ResponseRelay().RelayAsync(channel.Input, new DiscardingPipeWriter(), ResponseKind.ResultSets,
                    backend.Capabilities, cancellationToken).ConfigureAwait(false);
            }
            if (outcome.End != RelayEnd.Completed)
            {
                // Lost, or a LOCAL INFILE request: there is no client file to send, so the connection is given up.
                LogMirrorFailed(hostgroup, outcome.End == RelayEnd.LocalInfileRequested ? "LOAD DATA LOCAL INFILE cannot be mirrored" : "backend connection lost");
                return false;
            }
            if (outcome.HasStatus)
                backend.Status = outcome.Status;
            backend.Server.OnQuery(query.Length + 1, outcome.BytesForwarded);
            // State the copy may have left (SET, user variables, temporary tables, locks…) must not reach the next user.
            backend.NeedsReset = LeavesState(query);
            reusable = true;
            _statistics.Record(new ExecutedStatement
            {
                Query = query.AsMemory(),
                Digest = digest,
                Hostgroup = hostgroup,
                Schema = request.Schema ?? "",
                Username = request.PoolKey.Username,
                ClientAddress = "",
                ElapsedMicroseconds = _statistics.ElapsedMicroseconds(started),
                RowsAffected = (long)outcome.AffectedRows,
                RowsSent = outcome.RowsSent,
            });
            return true;
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            reusable = false;
            if (!cancellationToken.IsCancellationRequested)
                LogMirrorFailed(hostgroup, ex.Message);
            return false;
        }
        finally
        {
            if (!reusable)
                backend.MarkBroken();
            _backends.Release(backend, reusable);
        }
    }

    /// <summary>Whether a statement can leave session state behind on its connection.</summary>
    private static bool LeavesState(string query)
    {
        var info = StatementClassifier.Classify(query);
        return info.Kind is StatementKind.Set or StatementKind.Prepare || info.IsMultiStatement || info.UsesUserVariables ||
            info.CreatesTemporaryTable || info.LocksTables || info.GetsNamedLock || info.CalcFoundRows;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "mirror to hostgroup {Hostgroup} not run: {Reason}")]
    private partial void LogMirrorFailed(int hostgroup, string reason);
}
