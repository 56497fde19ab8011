namespace ProxyLayer.Config;

/// <summary>One row of <c>mysql_users</c>. The same credentials authenticate clients and log in to backends.</summary>
public sealed record UserConfig
{
    public required string Username { get; init; }
    /// <summary>Clear text, or a mysql_native_password hash written as <c>*</c> and 40 hex digits.</summary>
    public string? Password { get; init; }
    public bool Active { get; init; } = true;
    public bool UseSsl { get; init; }
    public int DefaultHostgroup { get; init; }
    /// <summary>Null means <c>mysql-default_schema</c>.</summary>
    public string? DefaultSchema { get; init; }
    public bool SchemaLocked { get; init; }
    public bool TransactionPersistent { get; init; } = true;
    public bool FastForward { get; init; }
    public bool Backend { get; init; } = true;
    public bool Frontend { get; init; } = true;
    public int MaxConnections { get; init; } = 10000;
    public string Attributes { get; init; } = "";
    public string Comment { get; init; } = "";

    // A record prints every property: keep the password (clear text or hash) out of logs, exceptions and test output.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username).Append(", Password = ").Append(Password is null ? "NULL" : "***")
            .Append(", Active = ").Append(Active).Append(", Frontend = ").Append(Frontend).Append(", Backend = ").Append(Backend)
            .Append(", DefaultHostgroup = ").Append(DefaultHostgroup);
        return true;
    }
}
