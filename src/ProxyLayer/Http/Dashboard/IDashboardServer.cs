using System.Net;

namespace ProxyLayer.Http.Dashboard;

/// <summary>
/// The running web dashboard (<c>admin-web_enabled</c>). ProxyHost sees only this interface, so ASP.NET Core's
/// assemblies are loaded the first time the dashboard (or the REST API) is enabled, never by a proxy that leaves both off.
/// </summary>
internal interface IDashboardServer : IAsyncDisposable
{
    /// <summary>Where it listens (port 0 resolved).</summary>
    IReadOnlyList<IPEndPoint> Endpoints { get; }
}
