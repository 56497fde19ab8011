using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Scheduler;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.RestApi;

/// <summary>
/// <c>restapi_routes</c> served on the REST API port as ProxySQL 2.7.2 serves them (its answers were read from a live
/// 2.7.2 with the same scripts): real shell scripts in a temp directory, real HTTP requests.
/// </summary>
public sealed class RestApiRouteTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SchedulerRig _rig = SchedulerRig.Create();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _rig.DisposeAsync();
    }

    private const string Columns = "id, active, timeout_ms, method, uri, script, comment";

    private async Task<string> StartWithRestApiAsync(string sections = "")
    {
        await _rig.StartAsync(output, sections);
        await _rig.AdminAsync("SET admin-restapi_enabled='true'; SET admin-restapi_port=0; LOAD ADMIN VARIABLES TO RUNTIME;");
        return $"http://127.0.0.1:{_rig.Proxy!.Host.RestApiEndpoints.Single().Port}";
    }

    [Fact]
    public async Task Sync_routes_run_their_script_with_the_parameters_as_json_and_answer_every_failure_with_a_json_error()
    {
        var echo = _rig.Script("echo.sh", "printf '%s\\n' \"$1\"");
        var hang = _rig.Script("hang.sh", $"sleep 300 & echo $! > {_rig.PathOf("hang.child")}\nwait");
        var notJson = _rig.Script("notjson.sh", "echo not json");
        var fail = _rig.Script("fail.sh", "echo '{\"partial\":1}'\necho oops >&2\nexit 3");
        var silent = _rig.Script("silent.sh", "exit 0");
        var argc = _rig.Script("argc.sh", "echo \"{\\\"argc\\\":$#}\"");
        var api = await StartWithRestApiAsync();
        await _rig.AdminAsync($"""
            INSERT INTO restapi_routes ({Columns}) VALUES
              (1, 1, 5000, 'GET', 'echo', '{echo}', ''), (2, 1, 5000, 'POST', 'echo', '{echo}', ''),
              (3, 1, 500, 'GET', 'hang', '{hang}', 'killed after 500 ms'), (4, 1, 5000, 'GET', 'notjson', '{notJson}', ''),
              (5, 1, 5000, 'GET', 'fail', '{fail}', ''), (6, 1, 5000, 'GET', 'silent', '{silent}', ''),
              (7, 1, 5000, 'GET', 'missing', '{_rig.PathOf("no-such-script")}', ''), (8, 0, 5000, 'GET', 'off', '{echo}', ''),
              (9, 1, 5000, 'get', 'argc', '{argc}', 'method in lower case');
            LOAD RESTAPI TO RUNTIME;
            """);
        Assert.Equal(9, (await _rig.AdminAsync($"SELECT {Columns} FROM runtime_restapi_routes")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // GET: the query string as an object of strings, sorted by name; the script's output as it printed it.
        var answer = await _http.GetAsync($"{api}/sync/echo?b=x%20y&a=1");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("{\"a\":\"1\",\"b\":\"x y\"}\n", await answer.Content.ReadAsStringAsync());
        Assert.Equal("{}\n", await (await _http.GetAsync($"{api}/sync/echo")).Content.ReadAsStringAsync());
        // Only the first segment after /sync/ names the route, and the parameters are one argument.
        Assert.Equal("{\"argc\":1}\n", await (await _http.GetAsync($"{api}/sync/argc/more/segments?x=1&y=2")).Content.ReadAsStringAsync());

        // POST: the body as sent.
        var posted = await _http.PostAsync($"{api}/sync/echo", new StringContent("{\"k\": [1, 2]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("{\"k\": [1, 2]}\n", await posted.Content.ReadAsStringAsync());
        await ExpectAsync(await _http.PostAsync($"{api}/sync/echo", new StringContent("")), HttpStatusCode.BadRequest, "Empty parameters", type: "in");
        await ExpectAsync(await _http.PostAsync($"{api}/sync/echo", new StringContent("{\"k\": ")), HttpStatusCode.BadRequest, "Error parsing input JSON parameters", type: "in");

        // No such route, an inactive one, another method: 400 with ProxySQL's message; PUT is not served at all.
        await ExpectAsync(await _http.GetAsync($"{api}/sync/nope"), HttpStatusCode.BadRequest,
            "The script for method [GET] and route [/sync/nope] was not found. Rows count returned [0]");
        await ExpectAsync(await _http.GetAsync($"{api}/sync/off"), HttpStatusCode.BadRequest, "route [/sync/off] was not found");
        await ExpectAsync(await _http.PostAsync($"{api}/sync/fail", new StringContent("{}")), HttpStatusCode.BadRequest, "method [POST]");
        await ExpectAsync(await _http.PutAsync($"{api}/sync/echo", new StringContent("{}")), HttpStatusCode.MethodNotAllowed, "HTTP method PUT is not implemented");

        // The script's own failures: 424 (Failed Dependency) with its exit code, output and stderr.
        var failed = await ExpectAsync(await _http.GetAsync($"{api}/sync/fail"), HttpStatusCode.FailedDependency, "Script failed to be executed", type: "out");
        Assert.Equal("3", failed.GetProperty("error_code").GetString());
        Assert.Equal("oops\n", failed.GetProperty("script_stderr").GetString());
        Assert.Equal("{\"partial\":1}\n", failed.GetProperty("script_stdout").GetString());
        var invalid = await ExpectAsync(await _http.GetAsync($"{api}/sync/notjson"), HttpStatusCode.FailedDependency, "", type: "out");
        Assert.Equal("0", invalid.GetProperty("error_code").GetString());
        Assert.Equal("not json\n", invalid.GetProperty("script_stdout").GetString());
        await ExpectAsync(await _http.GetAsync($"{api}/sync/silent"), HttpStatusCode.FailedDependency, "Script response is empty, only valid JSONs are accepted");
        var missing = await ExpectAsync(await _http.GetAsync($"{api}/sync/missing"), HttpStatusCode.FailedDependency, "Script failed to be executed");
        Assert.Equal("2", missing.GetProperty("error_code").GetString()); // ENOENT

        // A script that hangs is killed with its children after timeout_ms (error_code 62, ETIME), and the server
        // answers other requests meanwhile.
        var watch = Stopwatch.StartNew();
        var hanging = _http.GetAsync($"{api}/sync/hang");
        var metrics = await _http.GetAsync($"{api}/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var timedOut = await ExpectAsync(await hanging, HttpStatusCode.FailedDependency, "Script execution timed out", type: "out");
        Assert.Equal("62", timedOut.GetProperty("error_code").GetString());
        // 500 ms plus the start and kill of two processes; 30 s is far below the script's 300 s sleep even on a starved machine.
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(30));
        var child = int.Parse(File.ReadAllText(_rig.PathOf("hang.child")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(!Directory.Exists($"/proc/{child}")), TimeSpan.FromSeconds(10)),
            $"the script's child sleep (pid {child}) outlived the timeout");

        // A load takes effect for the next request.
        await _rig.AdminAsync("UPDATE restapi_routes SET active=0 WHERE uri='echo'; LOAD RESTAPI TO RUNTIME;");
        await ExpectAsync(await _http.GetAsync($"{api}/sync/echo"), HttpStatusCode.BadRequest, "was not found");
    }

    [Fact]
    public async Task A_bad_row_refuses_the_whole_load_and_the_routes_move_between_config_memory_disk_and_runtime()
    {
        var echo = _rig.Script("echo.sh", "printf '%s\\n' \"$1\"");
        var api = await StartWithRestApiAsync($$"""
            restapi =
            (
                { id=1, active=1, timeout_ms=2000, method="GET", uri="echo", script="{{echo}}", comment="from the file" },
                { id=2, active=0, interval_ms=1000, method="POST", uri="echo", script="{{echo}}" }
            )
            """);
        var expected = $"1\t1\t2000\tGET\techo\t{echo}\tfrom the file\n2\t0\t1000\tPOST\techo\t{echo}\t\n";
        Assert.Equal(expected, await _rig.AdminAsync($"SELECT {Columns} FROM restapi_routes ORDER BY id"));
        Assert.Equal(expected, await _rig.AdminAsync($"SELECT {Columns} FROM runtime_restapi_routes ORDER BY id"));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"{api}/sync/echo")).StatusCode);

        // Two active rows for GET /sync/echo (ProxySQL would load them and then fail every request), or a uri with a
        // slash (never matched): the load is refused, naming the rows, and the runtime keeps serving what it had.
        foreach (var bad in new[]
        {
            ($"INSERT INTO restapi_routes ({Columns}) VALUES (3, 1, 1000, 'get', 'echo', '{echo}', 'twin')", "GET /sync/echo is also served by id=1"),
            ($"INSERT INTO restapi_routes ({Columns}) VALUES (3, 1, 1000, 'GET', 'a/b', '{echo}', '')", "uri 'a/b' has a '/'"),
            ($"INSERT INTO restapi_routes ({Columns}) VALUES (3, 1, 1000, 'GET', 'x', '', '')", "script is empty"),
        })
        {
            await _rig.AdminAsync(bad.Item1);
            var refused = await _rig.Proxy!.AdminAsync("LOAD RESTAPI TO RUNTIME");
            Assert.False(refused.Succeeded);
            Assert.Contains("LOAD RESTAPI TO RUNTIME failed, runtime unchanged", refused.StandardError, StringComparison.Ordinal);
            Assert.Contains(bad.Item2, refused.StandardError, StringComparison.Ordinal);
            Assert.Equal(expected, await _rig.AdminAsync($"SELECT {Columns} FROM runtime_restapi_routes ORDER BY id"));
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"{api}/sync/echo")).StatusCode);
            await _rig.AdminAsync("DELETE FROM restapi_routes WHERE id=3");
        }
        // The table's own CHECK refuses a method other than GET or POST before any load.
        Assert.False((await _rig.Proxy!.AdminAsync($"INSERT INTO restapi_routes ({Columns}) VALUES (4, 1, 1000, 'PUT', 'x', '{echo}', '')")).Succeeded);

        // MEMORY → DISK → MEMORY, RUNTIME → MEMORY, CONFIG → MEMORY each bring the same rows back.
        await _rig.AdminAsync("SAVE RESTAPI TO DISK; DELETE FROM restapi_routes; LOAD RESTAPI FROM DISK;");
        Assert.Equal(expected, await _rig.AdminAsync($"SELECT {Columns} FROM restapi_routes ORDER BY id"));
        await _rig.AdminAsync("DELETE FROM restapi_routes; SAVE RESTAPI FROM RUNTIME;");
        Assert.Equal(expected, await _rig.AdminAsync($"SELECT {Columns} FROM restapi_routes ORDER BY id"));
        await _rig.AdminAsync("DELETE FROM restapi_routes; LOAD RESTAPI FROM CONFIG;");
        Assert.Equal(expected, await _rig.AdminAsync($"SELECT {Columns} FROM restapi_routes ORDER BY id"));

        // SAVE CONFIG TO FILE writes the section so that it reads back to the same rows.
        await _rig.AdminAsync("SAVE CONFIG TO FILE 'saved.cnf'");
        var saved = ConfigFileReader.Read(Path.Combine(_rig.Datadir, "saved.cnf"));
        Assert.Equal(ConfigFileReader.Read(_rig.ConfigPath).Config.RestapiRoutes.ToArray(), saved.Config.RestapiRoutes.ToArray());
        Assert.Equal(2, saved.Config.RestapiRoutes.Length);
        Assert.Empty(saved.Warnings);
    }

    /// <summary>Asserts the status, a JSON body whose <c>error</c> contains <paramref name="error"/>, and its <c>type</c>.</summary>
    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string error, string? type = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Contains(error, body.GetProperty("error").GetString(), StringComparison.Ordinal);
        if (type is not null)
            Assert.Equal(type, body.GetProperty("type").GetString());
        return body;
    }
}
