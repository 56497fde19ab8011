using ProxyLayer.Config;
using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions;

/// <summary>
/// <c>mysql_users.schema_locked=1</c>: the session stays in the user's default schema (its default_schema, else
/// <c>mysql-default_schema</c>). ProxySQL stores the column and documented it for long as "not supported yet"; here a
/// login naming another database, <c>USE other</c> and COM_INIT_DB to another schema get the server's own
/// "access denied to database" error (1044/42000) instead of switching. Qualified names (<c>other.t</c>) still work,
/// as do schema changes the proxy does not see: inside a multi-statement query or a stored procedure, and in
/// fast_forward sessions, whose bytes are not read.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>The schema the session is held to; null when the user is not schema_locked.</summary>
    private string? _lockedSchema;

    private static string? LockedSchemaOf(UserConfig user, MySqlVariables settings) =>
        user.SchemaLocked ? user.DefaultSchema ?? settings.DefaultSchema : null;

    /// <summary>The error for a switch to <paramref name="schema"/>, or null if it is allowed.</summary>
    private MySqlError? RefuseSchemaChange(string? schema) => RefuseSchemaChange(_user!.Username, _lockedSchema, schema);

    /// <summary>The same for <paramref name="username"/> held to <paramref name="lockedSchema"/> (a COM_CHANGE_USER checks the new user).</summary>
    private MySqlError? RefuseSchemaChange(string username, string? lockedSchema, string? schema)
    {
        if (lockedSchema is null || schema is null || string.Equals(schema, lockedSchema, StringComparison.Ordinal))
            return null;
        return new MySqlError(ErrorCodes.DbAccessDenied, "42000",
            $"Access denied for user '{username}'@'{_clientAddress}' to database '{schema}': the user is schema_locked to '{lockedSchema}'");
    }

    /// <summary>For COM_QUERY: a <c>USE</c> of another schema by a schema_locked user. Costs nothing for other users.</summary>
    private MySqlError? RefuseUseStatement(ReadOnlySpan<byte> sql) =>
        _lockedSchema is not null && SqlText.TryGetUseSchema(sql, out var schema) ? RefuseSchemaChange(schema) : null;
}
