using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;

namespace ProxyLayer.Http.Dashboard;

/// <summary>
/// ProxySQL's web port (<c>admin-web_port</c>, 6080): HTTPS with the proxy's own certificate, HTTP Digest login with
/// <c>admin-stats_credentials</c>, and one page that follows the proxy live. <c>/</c> is the page, <c>/api/status</c>
/// one JSON sample, <c>/api/events</c> a server-sent event stream of the same JSON once a second while the page is
/// open. A sample is built only for a viewer, so a dashboard nobody looks at costs nothing; concurrent streams are
/// capped at <see cref="MaxStreams"/>.
/// </summary>
internal sealed partial class DashboardServer : IDashboardServer
{
    public const int MaxStreams = 16;
    public static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(1);
    private static readonly byte[] EventStart = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private const string Denied = "<html><head><title>ProxyLayer status page</title></head><body>Access denied</body></html>";

    private readonly WebApplication _app;
    private readonly DashboardStatus _status;
    private readonly Func<IReadOnlyList<Credential>> _credentials;
    private readonly DigestAuthentication _digest;
    private readonly DashboardAssets _assets = DashboardAssets.Load();
    private readonly ILogger _logger;
    private int _streams;

    private DashboardServer(WebApplication app, DashboardStatus status, Func<IReadOnlyList<Credential>> credentials, TimeProvider time, ILogger logger)
    {
        _app = app;
        _status = status;
        _credentials = credentials;
        _digest = new DigestAuthentication(time);
        _logger = logger;
    }

    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = [];

    /// <summary>
    /// Binds <paramref name="port"/> on every interface (as ProxySQL does) with TLS under <paramref name="certificate"/>
    /// and starts serving; throws if the port is taken. Kept out of line so only a proxy that enables the page loads
    /// ASP.NET Core.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<IDashboardServer> StartAsync(int port, X509Certificate2 certificate, DashboardStatus status,
        Func<IReadOnlyList<Credential>> credentials, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var app = KestrelApp.Build(port, certificate);
        var server = new DashboardServer(app, status, credentials, time, loggerFactory.CreateLogger<DashboardServer>());
        app.Run(server.HandleAsync);
        var addresses = await KestrelApp.StartAsync(app).ConfigureAwait(false);
        server.Endpoints = KestrelApp.EndpointsOf(addresses);
        server.LogStarted(string.Join(", ", addresses));
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "/";
        try
        {
            if (!await AuthenticateAsync(context).ConfigureAwait(false))
                return;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:";
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                response.Headers.Allow = "GET, HEAD";
                await KestrelApp.PlainTextAsync(response, StatusCodes.Status405MethodNotAllowed, $"{request.Method} is not allowed: the page is read-only\n").ConfigureAwait(false);
            }
            else if (path == "/api/status")
            {
                response.Headers.CacheControl = "no-store";
                response.ContentType = "application/json";
                var body = _status.Render();
                if (!HttpMethods.IsHead(request.Method))
                    await response.Body.WriteAsync(body).ConfigureAwait(false);
            }
            else if (path == "/api/events")
            {
                if (HttpMethods.IsHead(request.Method))
                    response.ContentType = "text/event-stream"; // the headers a GET would get, and no endless body
                else
                    await StreamAsync(context).ConfigureAwait(false);
            }
            else if (_assets.TryGet(path, out var content, out var contentType))
            {
                response.Headers.CacheControl = "no-cache";
                response.ContentType = contentType;
                if (!HttpMethods.IsHead(request.Method))
                    await response.Body.WriteAsync(content).ConfigureAwait(false);
            }
            else
            {
                await KestrelApp.PlainTextAsync(response, StatusCodes.Status404NotFound, $"no such page: {path}; the dashboard is at /\n").ConfigureAwait(false);
            }
        }
        finally
        {
            LogRequest(context.Connection.RemoteIpAddress?.ToString() ?? "?", request.Method, path, response.StatusCode);
        }
    }

    /// <summary>Answers 401 with a fresh challenge unless the request proves a stats credential.</summary>
    private async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Path.Value + request.QueryString.Value;
        var verdict = _digest.Verify(request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
            request.Method, target, _credentials(), out var username);
        if (verdict == DigestVerdict.Accepted)
            return true;
        if (username is not null && verdict == DigestVerdict.Refused)
            LogRefused(context.Connection.RemoteIpAddress?.ToString() ?? "?", username);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = _digest.Challenge(stale: verdict == DigestVerdict.Stale);
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Denied).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Server-sent events: one sample now, then one per <see cref="StreamInterval"/> until the viewer leaves or the
    /// server stops. Each write goes out at once (no buffering) so the page moves within a second of the proxy.
    /// </summary>
    private async Task StreamAsync(HttpContext context)
    {
        var response = context.Response;
        if (Interlocked.Increment(ref _streams) > MaxStreams)
        {
            Interlocked.Decrement(ref _streams);
            await KestrelApp.PlainTextAsync(response, StatusCodes.Status503ServiceUnavailable, $"already {MaxStreams} open dashboards; close one\n").ConfigureAwait(false);
            return;
        }
        try
        {
            response.Headers.CacheControl = "no-store";
            response.ContentType = "text/event-stream";
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
            await response.StartAsync(stop.Token).ConfigureAwait(false); // headers out now: the page shows "live" at once
            using var timer = new PeriodicTimer(StreamInterval);
            do
            {
                var sample = _status.Render();
                await response.Body.WriteAsync(EventStart, stop.Token).ConfigureAwait(false);
                await response.Body.WriteAsync(sample, stop.Token).ConfigureAwait(false);
                await response.Body.WriteAsync(EventEnd, stop.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the viewer left, or the server is stopping
        }
        catch (IOException)
        {
            // the connection broke mid-write
        }
        finally
        {
            Interlocked.Decrement(ref _streams);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KestrelApp.StopAsync(_app).ConfigureAwait(false);
        LogStopped(string.Join(", ", Endpoints));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "web dashboard listening on {Addresses} (HTTPS, stats credentials)")]
    private partial void LogStarted(string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "web dashboard on {Endpoints} stopped")]
    private partial void LogStopped(string endpoints);

    [LoggerMessage(Level = LogLevel.Information, Message = "web dashboard: login of '{Username}' from {Client} refused")]
    private partial void LogRefused(string client, string username);

    [LoggerMessage(Level = LogLevel.Debug, Message = "web dashboard: {Client} {Method} {Path} -> {Status}")]
    private partial void LogRequest(string client, string method, string path, int status);
}
