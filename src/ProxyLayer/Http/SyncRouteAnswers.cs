using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ProxyLayer.Http;

/// <summary>
/// The JSON bodies of <c>/sync/</c> answers, as ProxySQL 2.7.2 writes them (its JSON library sorts keys, so the keys
/// come in that order): <c>type</c> "in" for the request's faults, "out" for the script's.
/// </summary>
internal static class SyncRouteAnswers
{
    /// <summary>Linux's ETIME, the error_code ProxySQL reports for a script that timed out.</summary>
    private const int Etime = 62;

    public static byte[] TimedOut() => Error(w =>
    {
        w.WriteString("error", "Script execution timed out");
        w.WriteString("error_code", Etime.ToString(CultureInfo.InvariantCulture));
        w.WriteString("type", "out");
    });

    /// <summary>A script that exited 0 and printed nothing.</summary>
    public static byte[] EmptyOutput(string message) => Error(w =>
    {
        w.WriteString("error", message);
        w.WriteString("error_code", "0");
        w.WriteString("type", "out");
    });

    public static byte[] InputError(string message) => Error(w => { w.WriteString("error", message); w.WriteString("type", "in"); });

    /// <summary>ProxySQL's body for a script that ran and failed (its keys in its order, sorted).</summary>
    public static byte[] ScriptError(string message, int code, string stdout, string stderr) => Error(w =>
    {
        w.WriteString("error", message);
        w.WriteString("error_code", code.ToString(CultureInfo.InvariantCulture));
        w.WriteString("script_stderr", stderr);
        w.WriteString("script_stdout", stdout);
        w.WriteString("type", "out");
    });

    /// <summary>A JSON object of the fields <paramref name="fields"/> writes.</summary>
    public static byte[] Error(Action<Utf8JsonWriter> fields)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>ProxySQL's headers on every <c>/sync/</c> answer.</summary>
    public static void AddHeaders(HttpResponse response)
    {
        response.ContentType = "application/json";
        response.Headers.AccessControlAllowOrigin = "*";
    }

    /// <summary>Sends <paramref name="body"/> with <paramref name="status"/>; a client gone meanwhile is not an error.</summary>
    public static async Task WriteAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        AddHeaders(response);
        try
        {
            await response.Body.WriteAsync(body).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client left.
        }
    }
}
