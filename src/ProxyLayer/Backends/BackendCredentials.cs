using ProxyLayer.Sessions;

namespace ProxyLayer.Backends;

/// <summary>
/// What the proxy logs in to a backend with. A user configured with a hash has no clear password; the proxy then uses
/// what the client's own login proved: SHA1(password) from mysql_native_password, SHA256(password) from
/// caching_sha2_password's fast path, or the clear text from its full authentication.
/// </summary>
internal sealed record BackendCredentials(string Username, string? ClearPassword, byte[]? NativeStage1, byte[]? Sha256Stage1 = null)
{
    public bool CanAuthenticate => ClearPassword is not null || NativeStage1 is not null || Sha256Stage1 is not null;

    public static BackendCredentials For(string username, FrontendSecrets secrets) =>
        new(username, secrets.ClearPassword, secrets.NativeStage1, secrets.Sha256Stage1);

    /// <summary>
    /// The credentials for a session of <paramref name="frontend"/>: its own login's secrets, or, when that row says
    /// <c>backend=0</c> and a backend-only row of the same name holds a clear-text password, that password.
    /// </summary>
    public static BackendCredentials For(Config.UserConfig frontend, Config.RuntimeSnapshot snapshot, FrontendSecrets secrets)
    {
        if (!frontend.Backend && snapshot.BackendOnlyUsers.TryGetValue(frontend.Username, out var backend) &&
            Protocol.Auth.StoredPassword.Parse(backend.Password).ClearText is { } clear)
            return new BackendCredentials(frontend.Username, clear, null);
        return For(frontend.Username, secrets);
    }

    // Keep secrets out of logs and exception messages.
    public override string ToString() => $"BackendCredentials({Username}, ***)";
}
