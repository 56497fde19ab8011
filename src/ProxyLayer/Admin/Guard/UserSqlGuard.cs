using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ProxyLayer.Admin.Guard;

/// <summary>
/// Holds SQLite's authorizer on the admin connection. It judges only while a statement typed by an admin runs
/// (<see cref="ForUserStatement"/>); the proxy's own SQL (schema creation, LOAD/SAVE, runtime mirrors) runs
/// unchecked. The admin connection is used under one lock, so a plain field says which is running.
/// </summary>
internal sealed class UserSqlGuard
{
    private bool _judging;
    private string? _refusal;

    private UserSqlGuard()
    {
    }

    /// <summary>
    /// Installs the authorizer on <paramref name="connection"/> and closes what needs no judging: extension loading
    /// off, and SQLite's defensive mode (no writable_schema effects, no raw page writes) on.
    /// </summary>
    public static UserSqlGuard Install(SqliteConnection connection)
    {
        var guard = new UserSqlGuard();
        connection.EnableExtensions(false);
        var handle = connection.Handle!;
        _ = raw.sqlite3_db_config(handle, raw.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, out int _);
        _ = raw.sqlite3_db_config(handle, raw.SQLITE_DBCONFIG_DEFENSIVE, 1, out int _);
        _ = raw.sqlite3_set_authorizer(handle, guard.Authorize, null);
        return guard;
    }

    /// <summary>Judges every SQLite action until the scope ends; <see cref="Scope.Refusal"/> names the first refused one.</summary>
    public Scope ForUserStatement()
    {
        _judging = true;
        _refusal = null;
        return new Scope(this);
    }

    private int Authorize(object userData, int action, string param0, string param1, string dbName, string innerMostTriggerOrView)
    {
        if (!_judging)
            return raw.SQLITE_OK;
        var refusal = AdminSqlPolicy.Refusal(action, param0, param1);
        if (refusal is null)
            return raw.SQLITE_OK;
        _refusal ??= refusal;
        return raw.SQLITE_DENY;
    }

    public readonly struct Scope(UserSqlGuard guard) : IDisposable
    {
        /// <summary>What the statement asked for that the admin interface refuses; null if nothing was refused.</summary>
        public string? Refusal => guard._refusal;

        /// <summary>
        /// <paramref name="result"/> as the client sees it: a refused statement is an access error naming what was
        /// refused (SQLite itself only says "not authorized").
        /// </summary>
        public AdminResult Judge(AdminResult result) =>
            Refusal is { } refusal && result is AdminResult.Error ? AdminRefusal.Error(refusal) : result;

        public void Dispose() => guard._judging = false;
    }
}
