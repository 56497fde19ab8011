using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ProxyLayer.Backends;
using ProxyLayer.Protocol.Async;
using ProxyLayer.Protocol;
using ProxyLayer.Sessions.State;

namespace ProxyLayer.Sessions;

/// <summary>
/// Binary-protocol prepared statements under multiplexing: the client sees ids the session hands out; each backend
/// connection prepares the SQL when it first runs it (then keeps it, see <see cref="BackendStatementCache"/>), and
/// ids, and parameter types the connection has not seen yet, are filled in on the way through.
/// </summary>
internal sealed partial class ClientSession
{
    private readonly Dictionary<uint, ClientStatement> _statements = [];
    private uint _nextStatementId;

    private async Task PrepareStatementAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var sql = Encoding.UTF8.GetString(payload.Span[1..]);
        var info = StatementClassifier.Classify(sql);
        var rules = MustStayOnBackend(info) ? null : EvaluateRules(sql.AsMemory());
        var hostgroup = rules?.DestinationHostgroup;
        var clientId = ++_nextStatementId;
        BackendStatement? prepared = null;
        var succeeded = await ForwardAsync(payload, ResponseKind.Prepare, new Route(hostgroup, PinReasons.None), cancellationToken,
            clientStatementId: clientId, onPrepared: (backend, id, parameters) => prepared = CacheStatement(backend, sql, id, parameters)).ConfigureAwait(false);
        if (succeeded && prepared is not null)
            _statements[clientId] = new ClientStatement(sql, prepared.ParameterCount, hostgroup, info.Kind == StatementKind.Select)
            {
                GtidFromHostgroup = rules?.GtidFromHostgroup,
            };
    }

    private static BackendStatement CacheStatement(BackendConnection backend, string sql, uint id, int parameters)
    {
        var statement = new BackendStatement(id, parameters);
        backend.Statements.Add(sql, statement);
        return statement;
    }

    /// <summary>COM_STMT_EXECUTE / FETCH / SEND_LONG_DATA / RESET / CLOSE for a client statement id.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private async ValueTask StatementCommandAsync(ReadOnlyMemory<byte> payload, CommandKind command, CancellationToken cancellationToken)
    {
        var id = payload.Length >= 5 ? BinaryPrimitives.ReadUInt32LittleEndian(payload.Span[1..]) : 0;
        if (!_statements.TryGetValue(id, out var statement))
        {
            if (command is CommandKind.StmtClose or CommandKind.StmtSendLongData)
                return; // no answer is sent for these, as a server would not send one either
            await SendErrorAsync(new MySqlError(ErrorCodes.UnknownStatement, "HY000",
                $"Unknown prepared statement handler ({id}) given to {CommandName(command)}")).ConfigureAwait(false);
            return;
        }
        switch (command)
        {
            case CommandKind.StmtClose:
                // Backend connections keep the statement for the next session that prepares the same SQL.
                _statements.Remove(id);
                return;
            case CommandKind.StmtReset when _backend is null || _backend.Statements.Find(statement.Sql) is null:
                // Nothing is bound on any connection (no long data, no cursor): a reset has nothing to do.
                await SendOkAsync().ConfigureAwait(false);
                return;
        }
        if (command == CommandKind.StmtExecute)
            RememberParameterTypes(statement, payload.Span);
        var kind = command switch
        {
            // The flags byte after the statement id: non-zero asks for a cursor.
            CommandKind.StmtExecute => payload.Length > 5 && payload.Span[5] != 0 ? ResponseKind.CursorResultSets : ResponseKind.ResultSets,
            CommandKind.StmtFetch => ResponseKind.RowsOnly,
            CommandKind.StmtReset => ResponseKind.Simple,
            _ => ResponseKind.None,
        };
        var pins = command == CommandKind.StmtSendLongData ? PinReasons.LongData : PinReasons.None;
        var idempotent = command == CommandKind.StmtExecute && statement.IsRead;
        await ForwardAsync(payload, kind, new Route(statement.Hostgroup, pins, GtidFromHostgroup: statement.GtidFromHostgroup), cancellationToken, idempotent,
            adaptFor: statement).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes sure <paramref name="backend"/> has the statement, then rewrites the command for it: the statement id is
    /// patched in place, in the session's own receive buffer (nothing reads the client's id after this), and a new
    /// payload is built only when parameter types must be added.
    /// </summary>
    private async ValueTask<ReadOnlyMemory<byte>?> AdaptStatementCommandAsync(BackendConnection backend, ClientStatement statement,
        ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var command = (CommandKind)payload.Span[0];
        var prepared = backend.Statements.Find(statement.Sql);
        if (prepared is null)
        {
            var (created, error) = await BackendCommands.PrepareAsync(backend, statement.Sql, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                await SendErrorAsync(error).ConfigureAwait(false);
                return null;
            }
            prepared = CacheStatement(backend, statement.Sql, created!.Id, created.ParameterCount);
            await BackendCommands.ClosePendingStatementsAsync(backend, cancellationToken).ConfigureAwait(false);
        }
        var rewritten = command == CommandKind.StmtExecute ? WithParameterTypes(payload, statement, prepared) : payload;
        BinaryPrimitives.WriteUInt32LittleEndian(MemoryMarshal.AsMemory(rewritten).Span[1..], prepared.Id);
        return rewritten;
    }

    /// <summary>Offset of the new-params-bound flag in COM_STMT_EXECUTE: command, id, flags, iteration count, NULL bitmap.</summary>
    private static int BoundFlagOffset(int parameterCount) => 1 + 4 + 1 + 4 + (parameterCount + 7) / 8;

    private static void RememberParameterTypes(ClientStatement statement, ReadOnlySpan<byte> payload)
    {
        var n = statement.ParameterCount;
        var offset = BoundFlagOffset(n);
        if (n == 0 || payload.Length < offset + 1 + 2 * n || payload[offset] != 1)
            return;
        var types = payload.Slice(offset + 1, 2 * n);
        if (statement.ParameterTypes is null || !types.SequenceEqual(statement.ParameterTypes))
            statement.ParameterTypes = types.ToArray();
    }

    /// <summary>
    /// The execute payload for a connection: unchanged if it carries types or the connection has them, else with the
    /// types the client sent on an earlier execute (the server needs them once per statement).
    /// </summary>
    private static ReadOnlyMemory<byte> WithParameterTypes(ReadOnlyMemory<byte> payload, ClientStatement statement, BackendStatement prepared)
    {
        var n = statement.ParameterCount;
        var offset = BoundFlagOffset(n);
        if (n == 0 || payload.Length <= offset)
            return payload;
        if (payload.Span[offset] == 1)
        {
            prepared.HasParameterTypes = true;
            return payload;
        }
        if (prepared.HasParameterTypes || statement.ParameterTypes is null)
            return payload;
        var types = statement.ParameterTypes;
        var result = new byte[payload.Length + types.Length];
        payload.Span[..offset].CopyTo(result);
        result[offset] = 1;
        types.CopyTo(result.AsSpan(offset + 1));
        payload.Span[(offset + 1)..].CopyTo(result.AsSpan(offset + 1 + types.Length));
        prepared.HasParameterTypes = true;
        return result;
    }

    private static string CommandName(CommandKind command) => command switch
    {
        CommandKind.StmtExecute => "mysqld_stmt_execute",
        CommandKind.StmtFetch => "mysqld_stmt_fetch",
        CommandKind.StmtReset => "mysqld_stmt_reset",
        _ => "mysqld_stmt_command",
    };
}
