using System.Net;

namespace ProxyLayer.Http;

/// <summary>
/// The running REST API (<c>admin-restapi_enabled</c>). ProxyHost sees only this interface, so ASP.NET Core's
/// assemblies are loaded the first time the server is enabled, never by a proxy that leaves it off.
/// </summary>
internal interface IRestApiServer : IAsyncDisposable
{
    /// <summary>Where it listens (port 0 resolved).</summary>
    IReadOnlyList<IPEndPoint> Endpoints { get; }
}
