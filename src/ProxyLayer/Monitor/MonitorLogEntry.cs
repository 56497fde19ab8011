namespace ProxyLayer.Monitor;

/// <summary>
/// One row of a <c>monitor.mysql_server_*_log</c> table. <see cref="Value"/> is read_only (0/1) or the lag in seconds,
/// unused for connect and ping; a failed check has a null value, zero success time and the error text.
/// </summary>
internal sealed record MonitorLogEntry(ServerAddress Server, long TimeStartUs, long SuccessTimeUs, long? Value, string? Error);
