using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProxyLayer.Config;
using ProxyLayer.Programs;
using static ProxyLayer.Http.SyncRouteAnswers;

namespace ProxyLayer.Http;

/// <summary>
/// ProxySQL's <c>/sync/&lt;uri&gt;</c>: the active <c>restapi_routes</c> row for the request's method and uri runs its
/// script (no shell) with the parameters as one JSON argument (a GET's query string as an object of strings, a POST's
/// body as sent) and answers with the script's JSON output. Failures answer as ProxySQL does: 400 for the request's
/// own faults (no route, no or bad parameters), 424 for the script's (non-zero exit, timeout, empty or non-JSON
/// output), each with a JSON body saying what happened.
/// </summary>
internal sealed partial class SyncRouteHandler(
    Func<ImmutableArray<RestapiRouteConfig>> routes, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    private readonly ILogger _logger = logger;

    public const string Prefix = "/sync";

    /// <summary>The parameters travel as one argument, and Linux refuses an argument of 128 KiB or more (MAX_ARG_STRLEN).</summary>
    public const int MaxParametersBytes = 128 * 1024 - 1;

    /// <summary>A script's answer is held in memory before it is checked and sent: 16 MiB, far above ProxySQL's own 1 MB test.</summary>
    public const int MaxOutputBytes = 16 * 1024 * 1024;

    /// <summary>What of a failing script's stderr is shown in the error body.</summary>
    private const int MaxStderrBytes = 64 * 1024;

    public static bool Handles(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var method = request.Method.ToUpperInvariant();
        if (method is not ("GET" or "POST"))
        {
            context.Response.Headers.Allow = "GET, POST";
            await WriteAsync(context.Response, StatusCodes.Status405MethodNotAllowed, Error(w => w.WriteString("error", $"HTTP method {request.Method} is not implemented"))).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context.Response, StatusCodes.Status413PayloadTooLarge, InputError(
                $"Parameters larger than {MaxParametersBytes} bytes: they are passed to the script as one argument")).ConfigureAwait(false);
            return;
        }
        // As ProxySQL: a body wins; a GET without one sends its query string (an empty one as {}).
        var parameters = body.Length > 0 || method == "POST" ? body : QueryAsJson(request.Query);
        if (parameters.Length == 0)
        {
            await WriteAsync(context.Response, StatusCodes.Status400BadRequest, InputError("Empty parameters")).ConfigureAwait(false);
            return;
        }
        if (JsonProblem(parameters) is { } problem)
        {
            await WriteAsync(context.Response, StatusCodes.Status400BadRequest,
                InputError($"Error parsing input JSON parameters - params: `{parameters}`, error: '{problem}'")).ConfigureAwait(false);
            return;
        }
        if (parameters.Length > MaxParametersBytes)
        {
            await WriteAsync(context.Response, StatusCodes.Status413PayloadTooLarge, InputError(
                $"Parameters larger than {MaxParametersBytes} bytes: they are passed to the script as one argument")).ConfigureAwait(false);
            return;
        }
        var uri = FirstSegment(path);
        var route = Find(method, uri);
        if (route is null)
        {
            LogNoRoute(method, path);
            await WriteAsync(context.Response, StatusCodes.Status400BadRequest, Error(w => w.WriteString("error",
                $"The script for method [{method}] and route [{path}] was not found. Rows count returned [0]"))).ConfigureAwait(false);
            return;
        }
        await RunAsync(context, route, parameters).ConfigureAwait(false);
    }

    private async Task RunAsync(HttpContext context, RestapiRouteConfig route, string parameters)
    {
        var launch = new ProgramLaunch
        {
            File = route.Script,
            Arguments = [parameters],
            SearchPath = true,
            InheritEnvironment = true,
            StdoutLimit = MaxOutputBytes,
            StderrLimit = MaxStderrBytes,
        };
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(stopping, context.RequestAborted);
        var result = await ProgramRunner.RunAsync(launch, TimeSpan.FromMilliseconds(route.TimeoutMs), time, gone.Token).ConfigureAwait(false);
        var response = context.Response;
        switch (result.End)
        {
            case ProgramRunEnd.NotStarted:
                LogScriptFailed(route.Id, route.Script, result.StartError!);
                await WriteAsync(response, StatusCodes.Status424FailedDependency, ScriptError("Script failed to be executed", result.StartErrno, "", result.StartError!)).ConfigureAwait(false);
                return;
            case ProgramRunEnd.TimedOut:
                LogScriptFailed(route.Id, route.Script, $"timed out after {route.TimeoutMs} ms; killed");
                await WriteAsync(response, StatusCodes.Status424FailedDependency, TimedOut()).ConfigureAwait(false);
                return;
            case ProgramRunEnd.KilledAtShutdown:
                // The client left or the server is stopping: nobody reads this, but the request must still end.
                await WriteAsync(response, StatusCodes.Status503ServiceUnavailable, Error(w => w.WriteString("error", "The REST API is stopping; the script was killed"))).ConfigureAwait(false);
                return;
        }
        var stdout = result.Stdout!;
        var stderr = result.Stderr!;
        if (result.ExitCode != 0)
        {
            LogScriptFailed(route.Id, route.Script, $"exit code {result.ExitCode}: {stderr}");
            await WriteAsync(response, StatusCodes.Status424FailedDependency,
                ScriptError("Script failed to be executed", result.ExitCode ?? -1, stdout.Text(), stderr.Text())).ConfigureAwait(false);
            return;
        }
        string? outputProblem = stdout.Truncated ? $"Script output is larger than {MaxOutputBytes} bytes ({stdout.TotalBytes} written)"
            : stdout.TotalBytes == 0 ? "Script response is empty, only valid JSONs are accepted"
            : JsonProblem(stdout.Kept);
        if (outputProblem is not null)
        {
            LogScriptFailed(route.Id, route.Script, outputProblem);
            var body = stdout.TotalBytes == 0
                ? EmptyOutput(outputProblem)
                : ScriptError(outputProblem, 0, stdout.Truncated ? "" : stdout.Text(), stderr.Text());
            await WriteAsync(response, StatusCodes.Status424FailedDependency, body).ConfigureAwait(false);
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        AddHeaders(response);
        await response.Body.WriteAsync(stdout.Kept.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private RestapiRouteConfig? Find(string method, string uri)
    {
        // A handful of rows, read from the runtime snapshot per request: a load between two requests is seen at once.
        foreach (var route in routes())
        {
            if (route.Active && string.Equals(route.Uri, uri, StringComparison.Ordinal)
                && string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
                return route;
        }
        return null;
    }

    /// <summary>ProxySQL matches the first segment after <c>/sync/</c> only: <c>/sync/a/b</c> is route <c>a</c>.</summary>
    private static string FirstSegment(string path)
    {
        var rest = path.AsSpan(Prefix.Length).TrimStart('/');
        var end = rest.IndexOf('/');
        return (end < 0 ? rest : rest[..end]).ToString();
    }

    /// <summary>The body as text, "" when there is none, null when it is larger than the parameters may be.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken aborted)
    {
        if (request.ContentLength > MaxParametersBytes)
            return null;
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, aborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxParametersBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>ProxySQL's GET parameters: an object of the query's names to their (last) values, as strings, sorted by name.</summary>
    private static string QueryAsJson(IQueryCollection query)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in query.OrderBy(q => q.Key, StringComparer.Ordinal))
                writer.WriteString(name, values.Count > 0 ? values[^1] : "");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static string? JsonProblem(string text) => JsonProblem(Encoding.UTF8.GetBytes(text));

    private static string? JsonProblem(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 512 });
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "REST API route id={Id} ({Script}): {Problem}")]
    private partial void LogScriptFailed(int id, string script, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "REST API: no active restapi_routes row for {Method} {Path}")]
    private partial void LogNoRoute(string method, string path);
}
