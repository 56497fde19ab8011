using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace ProxyLayer.Http;

/// <summary>The minimal Kestrel host the metrics endpoint and the dashboard share: one port on every interface, no server header.</summary>
internal static class KestrelApp
{
    /// <param name="certificate">HTTPS with this certificate; plain HTTP when null.</param>
    public static WebApplication Build(int port, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            if (certificate is null)
                options.Listen(IPAddress.Any, port);
            else
                options.Listen(IPAddress.Any, port, listen => listen.UseHttps(certificate));
        });
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/> (disposed if that fails, e.g. the port is taken) and returns the addresses it listens on.</summary>
    public static async Task<IReadOnlyList<string>> StartAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return app.Services.GetService(typeof(IServer)) is IServer kestrel
            ? [.. kestrel.Features.Get<IServerAddressesFeature>()?.Addresses ?? []]
            : [];
    }

    /// <summary>The ports of <paramref name="addresses"/> (port 0 asked for one), for tests and logs.</summary>
    public static IPEndPoint[] EndpointsOf(IReadOnlyList<string> addresses) =>
        [.. addresses.Select(a => new Uri(a)).Select(u => new IPEndPoint(IPAddress.Any, u.Port))];

    /// <summary>Stops serving and releases the port.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A short plain-text answer (errors, 404s, 405s).</summary>
    public static Task PlainTextAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(text);
    }
}
