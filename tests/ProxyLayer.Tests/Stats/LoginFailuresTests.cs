using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Stats;

public sealed class LoginFailuresTests
{
    [Fact]
    public void Counts_per_user_and_address_and_logs_the_first_of_each_burst_with_the_count_left_out()
    {
        var time = new FakeTimeProvider();
        var failures = new LoginFailures(time);

        Assert.Equal(0, failures.Record("app", "10.0.0.1"));
        Assert.Null(failures.Record("app", "10.0.0.1"));
        Assert.Null(failures.Record("app", "10.0.0.1"));
        Assert.Equal(0, failures.Record("app", "10.0.0.2")); // another address: its own burst
        Assert.Equal(0, failures.Record("other", "10.0.0.1"));
        time.Advance(LoginFailures.Window);
        Assert.Equal(2, failures.Record("app", "10.0.0.1"));

        var rows = failures.Rows().OrderBy(r => r.User).ThenBy(r => r.Address).Select(r => (r.User, r.Address, r.Count)).ToArray();
        Assert.Equal([("app", "10.0.0.1", 4L), ("app", "10.0.0.2", 1L), ("other", "10.0.0.1", 1L)], rows);
    }
}
