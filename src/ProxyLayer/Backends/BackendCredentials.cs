namespace ProxyLayer.Backends;

/// <summary>
/// What the proxy logs in to a backend with. A user configured with a <c>*HEX</c> hash has no clear password; the
/// proxy then uses SHA1(password), learnt from the client's own mysql_native_password answer.
/// </summary>
internal sealed record BackendCredentials(string Username, string? ClearPassword, byte[]? NativeStage1)
{
    public bool CanAuthenticate => ClearPassword is not null || NativeStage1 is not null;
}
