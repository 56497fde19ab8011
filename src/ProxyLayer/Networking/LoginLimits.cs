namespace ProxyLayer.Networking;

/// <summary>
/// How many connections may be in login at once (accepted, not yet past the login's OK or error) on one interface
/// and from one client address. Slots are cheap (no read buffer is held while a client says nothing), so the interface
/// cap is generous; the address cap keeps one host from taking them all, while leaving room for an application
/// server opening its whole pool at once. A connection over a cap waits for a slot (without its greeting) for at
/// most the login timeout, so a burst of thousands of connections from one application server is admitted in turn;
/// only when <see cref="Waiting"/> connections already wait is it refused at once.
/// </summary>
internal sealed record LoginLimits
{
    public static LoginLimits Default { get; } = new();

    public int PerInterface { get; init; } = 2048;
    public int PerAddress { get; init; } = 256;

    /// <summary>Connections over a cap that may wait for a slot on one interface; 0 refuses them at once.</summary>
    public int Waiting { get; init; } = 4096;
}
