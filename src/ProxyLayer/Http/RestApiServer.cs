using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Stats.Prometheus;

namespace ProxyLayer.Http;

/// <summary>
/// ProxySQL's REST API port (<c>admin-restapi_port</c>, 6070): <c>GET /metrics</c> in the Prometheus text format, or
/// OpenMetrics when the scraper's Accept header asks for it, and the <c>restapi_routes</c> scripts under <c>/sync/</c>.
/// Kestrel with nothing but the one request handler: no configuration files, no routing, no reflection (the Native AOT
/// build takes it as it is).
/// </summary>
internal sealed partial class RestApiServer : IRestApiServer
{
    private readonly WebApplication _app;
    private readonly MetricsReport _metrics;
    private readonly SyncRouteHandler _sync;
    private readonly ILogger _logger;
    /// <summary>Cancelled when the server stops: scripts still running are killed, so the stop never waits on one.</summary>
    private readonly CancellationTokenSource _stopping = new();

    private RestApiServer(WebApplication app, MetricsReport metrics, Func<ImmutableArray<RestapiRouteConfig>> routes, ILoggerFactory loggerFactory)
    {
        _app = app;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<RestApiServer>();
        _sync = new SyncRouteHandler(routes, TimeProvider.System, _logger, _stopping.Token);
    }

    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = [];

    /// <summary>
    /// Binds <paramref name="port"/> on every interface (as ProxySQL does) and starts serving; throws if the port is
    /// taken. Kept out of line so only a proxy that enables the API loads ASP.NET Core.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    /// <param name="routes">The runtime's <c>restapi_routes</c>, read at each <c>/sync/</c> request.</param>
    public static async Task<IRestApiServer> StartAsync(int port, MetricsReport metrics, Func<ImmutableArray<RestapiRouteConfig>> routes,
        ILoggerFactory loggerFactory)
    {
        var app = KestrelApp.Build(port, null);
        var server = new RestApiServer(app, metrics, routes, loggerFactory);
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
        if (request.Path.Value is "/metrics" or "/metrics/")
        {
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                response.Headers.Allow = "GET, HEAD";
                await KestrelApp.PlainTextAsync(response, StatusCodes.Status405MethodNotAllowed, $"{request.Method} is not allowed on /metrics: use GET\n").ConfigureAwait(false);
            }
            else
            {
                var format = ExpositionFormats.FromAccept(request.Headers.Accept.ToString());
                // Rendered on Kestrel's request thread (the thread pool, not a socket engine thread); it only reads
                // counters and the runtime snapshot.
                var text = _metrics.Render(format);
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = ExpositionFormats.ContentType(format);
                if (!HttpMethods.IsHead(request.Method))
                    await response.WriteAsync(text).ConfigureAwait(false);
            }
        }
        else if (SyncRouteHandler.Handles(request.Path))
        {
            await _sync.HandleAsync(context).ConfigureAwait(false);
        }
        else
        {
            await KestrelApp.PlainTextAsync(response, StatusCodes.Status404NotFound,
                $"no such route: {request.Path.Value}; this port serves GET /metrics (Prometheus text format) and the restapi_routes scripts under /sync/\n").ConfigureAwait(false);
        }
        LogRequest(context.Connection.RemoteIpAddress?.ToString() ?? "?", request.Method, request.Path.Value ?? "", response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await KestrelApp.StopAsync(_app).ConfigureAwait(false);
        _stopping.Dispose();
        LogStopped(string.Join(", ", Endpoints));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "REST API listening on {Addresses} (GET /metrics, /sync/ routes)")]
    private partial void LogStarted(string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "REST API on {Endpoints} stopped")]
    private partial void LogStopped(string endpoints);

    [LoggerMessage(Level = LogLevel.Debug, Message = "REST API: {Client} {Method} {Path} -> {Status}")]
    private partial void LogRequest(string client, string method, string path, int status);
}
