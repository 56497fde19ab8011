using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The parts of <c>SHOW SLAVE STATUS</c> the rig and its tests look at.</summary>
public sealed record ReplicaStatus(
    string SourceHost,
    int SourcePort,
    string IoRunning,
    string SqlRunning,
    string LastIoError,
    string LastSqlError,
    long? SecondsBehindSource,
    string GtidIoPosition)
{
    /// <summary>True when the IO thread has read everything the SQL thread needs and the SQL thread applied it.</summary>
    public bool RelayLogApplied { get; init; }

    public bool IsReplicating => IoRunning == "Yes" && SqlRunning == "Yes";

    internal static ReplicaStatus FromRow(IReadOnlyDictionary<string, object?> row)
    {
        var relayLogApplied =
            Text(row, "Master_Log_File") == Text(row, "Relay_Master_Log_File")
            && Number(row, "Read_Master_Log_Pos") == Number(row, "Exec_Master_Log_Pos");
        return new ReplicaStatus(
            Text(row, "Master_Host"),
            (int)(Number(row, "Master_Port") ?? 0),
            Text(row, "Slave_IO_Running"),
            Text(row, "Slave_SQL_Running"),
            Text(row, "Last_IO_Error"),
            Text(row, "Last_SQL_Error"),
            Number(row, "Seconds_Behind_Master"),
            Text(row, "Gtid_IO_Pos"))
        {
            RelayLogApplied = relayLogApplied,
        };
    }

    public override string ToString() =>
        $"source {SourceHost}:{SourcePort}, io={IoRunning}, sql={SqlRunning}, gtid_io_pos={GtidIoPosition}"
        + (LastIoError.Length > 0 ? $", io error: {LastIoError}" : "")
        + (LastSqlError.Length > 0 ? $", sql error: {LastSqlError}" : "");

    private static string Text(IReadOnlyDictionary<string, object?> row, string column) =>
        Convert.ToString(row.GetValueOrDefault(column), CultureInfo.InvariantCulture) ?? "";

    private static long? Number(IReadOnlyDictionary<string, object?> row, string column) =>
        row.GetValueOrDefault(column) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;
}
