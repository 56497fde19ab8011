namespace ProxyLayer.Admin.Guard;

/// <summary>The error an admin statement gets when it asks for something the admin interface does not allow.</summary>
internal static class AdminRefusal
{
    /// <summary>
    /// ER_TABLEACCESS_DENIED_ERROR (1142, 42000), MySQL's answer to a logged-in user whose command is not permitted
    /// on an object: the statement is well formed and the session stays usable, and clients can tell it apart from
    /// the 1045/28000 that ProxySQL's admin gives every SQLite error. The text keeps ProxySQL's admin prefix.
    /// </summary>
    public const int Code = 1142;

    public static AdminResult.Error Error(string refused) =>
        new(Code, "42000", $"ProxySQL Admin Error: {refused} is not allowed on the admin interface, which runs only " +
            "ProxySQL's commands and SELECT/INSERT/UPDATE/DELETE on its tables");
}
