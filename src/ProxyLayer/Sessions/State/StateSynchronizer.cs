using System.Text;
using ProxyLayer.Backends;
using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions.State;

/// <summary>
/// Brings a backend connection in line with a session's expected state before a statement runs on it: schema with
/// COM_INIT_DB, character set with SET NAMES, and session variables with one <c>SET</c> that sets what differs and
/// puts back to DEFAULT what an earlier user set and this session did not. Nothing is sent when the connection was
/// last synchronised with the same session and state version, which is the common case.
/// </summary>
internal static class StateSynchronizer
{
    /// <summary>Returns null on success, else the server's error (the statement must not run).</summary>
    /// <param name="readsDiagnostics">
    /// The statement reads the diagnostics area (SHOW WARNINGS, @@warning_count…): another session's warnings left on
    /// the connection are cleared first.
    /// </param>
    public static async ValueTask<MySqlError?> SyncAsync(SessionState state, object session, BackendConnection backend, CancellationToken cancellationToken,
        bool readsDiagnostics = false)
    {
        // Warnings and errors belong to the session that caused them. MariaDB keeps them until a statement that uses a
        // table or makes messages of its own, so nothing cheap and harmless clears them; COM_RESET_CONNECTION does
        // (and the rest of this method re-applies the state). Only done when they would be read: that is rare.
        if (readsDiagnostics && backend.DiagnosticsOwner is { } owner && !ReferenceEquals(owner, session))
        {
            if (!await BackendCommands.ResetConnectionAsync(backend, cancellationToken).ConfigureAwait(false))
                throw new IOException("COM_RESET_CONNECTION failed on a connection with another session's warnings");
        }
        if (ReferenceEquals(backend.SyncedSession, session) && backend.SyncedVersion == state.Version)
            return null;

        if (state.Schema is not null && !string.Equals(backend.Schema, state.Schema, StringComparison.Ordinal))
        {
            var error = await BackendCommands.InitDbAsync(backend, state.Schema, cancellationToken).ConfigureAwait(false);
            if (error is not null)
                return error;
        }
        if (backend.CharacterSetStatement != state.CharacterSetStatement)
        {
            var error = await BackendCommands.ExecuteAsync(backend, state.CharacterSetStatement, cancellationToken).ConfigureAwait(false);
            if (error is not null)
                return error;
            backend.CharacterSetStatement = state.CharacterSetStatement;
        }
        var set = BuildVariableDiff(state.Variables, backend.AppliedVariables);
        if (set is not null)
        {
            var error = await BackendCommands.ExecuteAsync(backend, set, cancellationToken).ConfigureAwait(false);
            if (error is not null)
                return error;
            backend.AppliedVariables.Clear();
            foreach (var (name, value) in state.Variables)
                backend.AppliedVariables[name] = value;
        }
        backend.SyncedSession = session;
        backend.SyncedVersion = state.Version;
        return null;
    }

    /// <summary>The <c>SET SESSION …</c> that turns <paramref name="applied"/> into <paramref name="wanted"/>, or null if they match.</summary>
    internal static string? BuildVariableDiff(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> applied)
    {
        StringBuilder? sql = null;
        foreach (var (name, value) in wanted)
        {
            if (applied.TryGetValue(name, out var current) && current == value)
                continue;
            Append(ref sql, name, value);
        }
        foreach (var name in applied.Keys)
        {
            if (!wanted.ContainsKey(name))
                Append(ref sql, name, "DEFAULT");
        }
        return sql?.ToString();
    }

    private static void Append(ref StringBuilder? sql, string name, string value)
    {
        if (sql is null)
            sql = new StringBuilder("SET SESSION ");
        else
            sql.Append(", ");
        sql.Append(name).Append(" = ").Append(value);
    }
}
