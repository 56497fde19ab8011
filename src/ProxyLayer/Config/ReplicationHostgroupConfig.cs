namespace ProxyLayer.Config;

/// <summary>One row of <c>mysql_replication_hostgroups</c>: a writer/reader pair watched by the monitor.</summary>
public sealed record ReplicationHostgroupConfig
{
    public required int WriterHostgroup { get; init; }
    public required int ReaderHostgroup { get; init; }
    /// <summary><c>read_only</c>, <c>innodb_read_only</c>, <c>super_read_only</c>, <c>read_only|innodb_read_only</c> or <c>read_only&amp;innodb_read_only</c>.</summary>
    public string CheckType { get; init; } = "read_only";
    public string Comment { get; init; } = "";
}
