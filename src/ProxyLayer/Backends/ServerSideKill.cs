using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>
/// Stops what a backend connection is doing from outside it: <c>KILL QUERY</c> or <c>KILL CONNECTION</c> for its
/// thread, sent over a short-lived second connection to the same server (the busy connection cannot take a command).
/// The side connection logs in as the session's own user, who may always kill its own threads.
/// </summary>
internal static class ServerSideKill
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <returns>The server's error, or null if the KILL was carried out.</returns>
    /// <exception cref="BackendConnectException">No side connection could be opened.</exception>
    public static async Task<MySqlError?> KillAsync(BackendConnection target, BackendCredentials credentials, bool connection)
    {
        await using var side = await BackendConnector.ConnectAsync(target.Server, credentials,
            target.Key, schema: null, target.Tls, ConnectTimeout, CancellationToken.None).ConfigureAwait(false);
        var statement = connection ? $"KILL CONNECTION {target.ConnectionId}" : $"KILL QUERY {target.ConnectionId}";
        return await BackendCommands.ExecuteAsync(side, statement, CancellationToken.None).ConfigureAwait(false);
    }
}
