using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Backends;

namespace ProxyLayer.Tests.Backends;

public sealed class RecentLoginSchemasTests
{
    [Fact]
    public void An_accepted_database_is_trusted_for_a_second_per_user_schema_and_hostgroup()
    {
        var time = new FakeTimeProvider();
        var schemas = new RecentLoginSchemas(time);
        Assert.False(schemas.AcceptedRecently("app", "shop", 10));

        schemas.Accepted("app", "shop", 10);
        Assert.True(schemas.AcceptedRecently("app", "shop", 10));
        Assert.False(schemas.AcceptedRecently("other", "shop", 10));
        Assert.False(schemas.AcceptedRecently("app", "shop2", 10));
        Assert.False(schemas.AcceptedRecently("app", "shop", 20));

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(schemas.AcceptedRecently("app", "shop", 10));
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(schemas.AcceptedRecently("app", "shop", 10));
    }
}
