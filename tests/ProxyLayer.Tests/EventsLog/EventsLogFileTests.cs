using ProxyLayer.EventsLog;

namespace ProxyLayer.Tests.EventsLog;

public sealed class EventsLogFileTests
{
    [Fact]
    public void Files_are_numbered_after_the_highest_one_already_there()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "events.00000007"), "");
        File.WriteAllText(Path.Combine(dir.Path, "events.00000002"), "");
        File.WriteAllText(Path.Combine(dir.Path, "events.123"), "");
        File.WriteAllText(Path.Combine(dir.Path, "events.0000000x"), "");
        File.WriteAllText(Path.Combine(dir.Path, "other.00000099"), "");
        using var file = new EventsLogFile(dir.Path);

        Assert.Null(file.Configure("events"));

        Assert.Equal(Path.Combine(dir.Path, "events.00000008"), file.CurrentPath);
    }

    [Fact]
    public void Rotation_opens_the_next_file_and_an_empty_name_turns_the_log_off()
    {
        using var dir = new TempDirectory();
        using var file = new EventsLogFile(dir.Path);
        file.Configure("queries.log");
        file.Stream!.Write("a"u8);

        file.Rotate();
        file.Stream!.Write("b"u8);
        file.Configure("");

        Assert.Null(file.Stream);
        Assert.Equal(["queries.log.00000001", "queries.log.00000002"], dir.Files());
        Assert.Equal("a", File.ReadAllText(Path.Combine(dir.Path, "queries.log.00000001")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(dir.Path, "queries.log.00000002")));
    }

    [Fact]
    public void An_absolute_name_ignores_the_data_directory()
    {
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        using var file = new EventsLogFile(dir.Path);

        file.Configure(Path.Combine(elsewhere.Path, "ev"));

        Assert.Equal(Path.Combine(elsewhere.Path, "ev.00000001"), file.CurrentPath);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void A_file_that_cannot_be_opened_is_reported_not_thrown()
    {
        using var dir = new TempDirectory();
        using var file = new EventsLogFile(dir.Path);

        var error = file.Configure(Path.Combine(dir.Path, "missing", "sub", "ev"));

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Null(file.Stream);
    }
}
