using System.Globalization;

namespace ProxyLayer.Config;

/// <summary>The global variables the data path reads on every connection, parsed once per load.</summary>
internal sealed record DataPathSettings
{
    public int ConnectTimeoutServerMs { get; init; } = 1000;
    public int ConnectTimeoutServerMaxMs { get; init; } = 10000;
    public int ConnectRetriesOnFailure { get; init; } = 10;
    public int ConnectRetriesDelayMs { get; init; } = 1;
    public string ServerVersion { get; init; } = "8.0.11";
    public string DefaultSchema { get; init; } = "information_schema";
    public int MaxConnections { get; init; } = 10000;
    public long MaxAllowedPacket { get; init; } = 67108864;
    public int FreeConnectionsPct { get; init; } = 10;
    public int ShunOnFailures { get; init; } = 5;
    public int ShunRecoveryTimeSec { get; init; } = 10;

    public static DataPathSettings From(IReadOnlyDictionary<string, string> variables) => new()
    {
        ConnectTimeoutServerMs = Int(variables, "mysql-connect_timeout_server", 1000),
        ConnectTimeoutServerMaxMs = Int(variables, "mysql-connect_timeout_server_max", 10000),
        ConnectRetriesOnFailure = Int(variables, "mysql-connect_retries_on_failure", 10),
        ConnectRetriesDelayMs = Int(variables, "mysql-connect_retries_delay", 1),
        ServerVersion = variables.GetValueOrDefault("mysql-server_version") ?? "8.0.11",
        DefaultSchema = variables.GetValueOrDefault("mysql-default_schema") ?? "information_schema",
        MaxConnections = Int(variables, "mysql-max_connections", 10000),
        MaxAllowedPacket = Int(variables, "mysql-max_allowed_packet", 67108864),
        FreeConnectionsPct = Int(variables, "mysql-free_connections_pct", 10),
        ShunOnFailures = Int(variables, "mysql-shun_on_failures", 5),
        ShunRecoveryTimeSec = Int(variables, "mysql-shun_recovery_time_sec", 10),
    };

    private static int Int(IReadOnlyDictionary<string, string> variables, string name, int fallback) =>
        variables.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
