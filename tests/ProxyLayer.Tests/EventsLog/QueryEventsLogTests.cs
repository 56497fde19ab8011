using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.EventsLog;
using ProxyLayer.Stats;

namespace ProxyLayer.Tests.EventsLog;

public sealed class QueryEventsLogTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly RuntimeConfigManager _runtime = new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
    private QueryEventsLog _log = null!;

    public Task InitializeAsync()
    {
        _log = new QueryEventsLog(_runtime, new QueryStatistics(TimeProvider.System), _dir.Path, NullLogger<QueryEventsLog>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        _dir.Dispose();
    }

    private void Configure(params (string Name, string Value)[] variables) =>
        Assert.True(_runtime.Apply(ProxyConfig.Empty with
        {
            Variables = ProxyConfig.Empty.Variables.SetItems(variables.Select(v => KeyValuePair.Create(v.Name, v.Value))),
        }).Succeeded);

    private static QueryEvent Event(string query) => new()
    {
        ThreadId = 1, Username = "app", Query = query, ClientAddress = "127.0.0.1", ClientPort = 4000, Hostgroup = 10,
        ServerHost = "db1", ServerPort = 3306, StartUnixMicroseconds = 1, EndUnixMicroseconds = 2,
    };

    private string[] Lines(string file) => File.ReadAllLines(Path.Combine(_dir.Path, file));

    [Fact]
    public async Task Events_are_written_as_json_lines_once_a_file_name_is_set()
    {
        Assert.False(_log.IsEnabled);
        _log.Write(Event("SELECT 'before'"));
        await _log.FlushAsync();
        Configure(("mysql-eventslog_filename", "events"), ("mysql-eventslog_format", "2"));
        Assert.True(_log.IsEnabled);

        _log.Write(Event("SELECT 1"));
        _log.Write(Event("SELECT 2"));
        await _log.FlushAsync();

        var lines = Lines("events.00000001");
        Assert.Equal(["SELECT 1", "SELECT 2"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("query").GetString()));
        Assert.Equal(2, _log.Written);
        var digest = JsonDocument.Parse(lines[0]).RootElement.GetProperty("digest").GetString();
        Assert.Equal(ProxyLayer.Routing.QueryDigest.FormatHash(ProxyLayer.Routing.QueryDigest.Compute("SELECT 1").Hash), digest);
    }

    [Fact]
    public async Task A_file_larger_than_the_size_limit_is_followed_by_the_next_one()
    {
        Configure(("mysql-eventslog_filename", "big"), ("mysql-eventslog_format", "2"), ("mysql-eventslog_filesize", "1048576"));
        var query = "SELECT '" + new string('x', 8000) + "'";
        for (var i = 0; i < 140; i++)
            _log.Write(Event(query));
        await _log.FlushAsync();

        Assert.Equal(["big.00000001", "big.00000002"], _dir.Files());
        Assert.True(new FileInfo(Path.Combine(_dir.Path, "big.00000001")).Length > 1048576);
        Assert.Equal(140, Lines("big.00000001").Length + Lines("big.00000002").Length);
    }

    [Fact]
    public async Task Rotate_continues_in_a_new_file_and_a_new_name_takes_effect_at_once()
    {
        Configure(("mysql-eventslog_filename", "a"), ("mysql-eventslog_format", "2"));
        _log.Write(Event("SELECT 1"));
        await _log.FlushAsync();

        _log.Rotate();
        _log.Write(Event("SELECT 2"));
        await _log.FlushAsync();
        Configure(("mysql-eventslog_filename", "b"), ("mysql-eventslog_format", "2"));
        _log.Write(Event("SELECT 3"));
        await _log.FlushAsync();

        Assert.Equal(["a.00000001", "a.00000002", "b.00000001"], _dir.Files());
        Assert.Single(Lines("a.00000002"));
    }

    [Fact]
    public async Task Format_1_writes_proxysqls_binary_records()
    {
        Configure(("mysql-eventslog_filename", "bin"), ("mysql-eventslog_format", "1"));
        _log.Write(Event("SELECT 1"));
        await _log.FlushAsync();

        var bytes = File.ReadAllBytes(Path.Combine(_dir.Path, "bin.00000001"));
        Assert.Equal(bytes.Length - 8, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(EventBinaryFormat.ComQuery, bytes[8]);
    }

    [Fact]
    public void The_default_log_setting_is_read_live()
    {
        Assert.False(_log.LogsByDefault);
        Configure(("mysql-eventslog_default_log", "1"));
        Assert.True(_log.LogsByDefault);
    }
}
