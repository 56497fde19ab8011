using ProxyLayer.Protocol;

namespace ProxyLayer.Backends;

/// <summary>
/// The last backend greeting the proxy saw, from any server: its own backend connections report every greeting they
/// read, the monitor every version it saw on a connect check. The MySQL interface's greeting announces it (see
/// <see cref="Sessions.FrontendGreeting"/>). Writes happen per backend connect, reads per client login; a new record is
/// made only when something changed.
/// </summary>
internal sealed class BackendIdentityState
{
    private volatile BackendIdentity? _current;

    /// <summary>Null until a backend was reached.</summary>
    public BackendIdentity? Current => _current;

    /// <summary>A greeting read by the proxy's own backend connection: version and capabilities are both known.</summary>
    public void OnGreeting(string version, CapabilityFlags capabilities)
    {
        var current = _current;
        if (current is null || current.Capabilities != capabilities || !string.Equals(current.Version, version, StringComparison.Ordinal))
            _current = new BackendIdentity(version, capabilities);
    }

    /// <summary>A version seen by the monitor. The same version keeps the capabilities a greeting showed.</summary>
    public void OnVersion(string version)
    {
        var current = _current;
        if (current is null || !string.Equals(current.Version, version, StringComparison.Ordinal))
            _current = new BackendIdentity(version, null);
    }
}
