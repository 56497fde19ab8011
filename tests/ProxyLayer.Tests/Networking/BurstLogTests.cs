using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Networking;

namespace ProxyLayer.Tests.Networking;

public sealed class BurstLogTests
{
    [Fact]
    public void A_burst_is_one_line_and_the_next_line_counts_what_was_left_out()
    {
        var time = new FakeTimeProvider();
        var lines = new List<(string Message, long Suppressed)>();
        var log = new BurstLog(time, (m, n) => lines.Add((m, n)));

        for (var i = 0; i < 1000; i++)
            log.Record($"event {i}");
        time.Advance(BurstLog.Window);
        log.Record("later");

        Assert.Equal([("event 0", 0L), ("later", 999L)], lines);
        Assert.Equal("", BurstLog.More(0));
        Assert.Contains("999 more", BurstLog.More(999), StringComparison.Ordinal);
    }
}
