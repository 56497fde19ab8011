using ProxyLayer.Monitor;

namespace ProxyLayer.Tests.Monitor;

public class MonitorLogBufferTests
{
    private static MonitorLogEntry At(long us) => new(FakeProbe.Server("db1"), us, 10, null, null);

    [Fact]
    public void Entries_older_than_the_retention_are_dropped()
    {
        var buffer = new MonitorLogBuffer(100);
        buffer.Add(At(1_000), oldestKeptUs: 0);
        buffer.Add(At(2_000), oldestKeptUs: 0);
        buffer.Add(At(5_000), oldestKeptUs: 1_500);

        Assert.Equal([2_000, 5_000], buffer.ToArray().Select(e => e.TimeStartUs));
    }

    [Fact]
    public void The_row_cap_holds_whatever_the_retention()
    {
        var buffer = new MonitorLogBuffer(3);
        for (var i = 1; i <= 10; i++)
            buffer.Add(At(i), oldestKeptUs: 0);

        Assert.Equal([8, 9, 10], buffer.ToArray().Select(e => e.TimeStartUs));
    }
}
