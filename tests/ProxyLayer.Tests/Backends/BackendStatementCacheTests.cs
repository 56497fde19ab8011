using ProxyLayer.Backends;

namespace ProxyLayer.Tests.Backends;

public class BackendStatementCacheTests
{
    private readonly BackendServer _server = new("db1", 3306);

    [Fact]
    public void A_connection_in_use_keeps_every_statement_and_is_trimmed_to_the_limit_by_least_recent_use()
    {
        var cache = new BackendStatementCache(_server);
        cache.Add("a", new BackendStatement(1, 0));
        cache.Add("b", new BackendStatement(2, 0));
        cache.Find("a");
        cache.Add("c", new BackendStatement(3, 0));
        Assert.Equal(3, cache.Count);
        Assert.Empty(cache.PendingCloses);

        cache.TrimTo(2); // the connection goes back to the pool

        Assert.Null(cache.Find("b"));
        Assert.NotNull(cache.Find("a"));
        Assert.Equal([2u], cache.PendingCloses);
        Assert.Equal(2, _server.PreparedStatements);
    }

    [Fact]
    public void Over_the_servers_budget_a_connection_replaces_its_own_statements_instead_of_adding()
    {
        _server.OnStatementsPrepared(BackendServer.PreparedStatementBudget); // other connections' statements
        var cache = new BackendStatementCache(_server);
        cache.Add("a", new BackendStatement(1, 0));
        cache.Add("b", new BackendStatement(2, 0));

        Assert.Equal(1, cache.Count);
        Assert.Equal([1u], cache.PendingCloses);
        Assert.Equal(BackendServer.PreparedStatementBudget + 1, _server.PreparedStatements);
    }

    [Fact]
    public void Clearing_gives_the_statements_back_to_the_servers_count()
    {
        var cache = new BackendStatementCache(_server);
        cache.Add("a", new BackendStatement(1, 0));
        cache.Add("a", new BackendStatement(2, 0)); // prepared again: the old one is closed
        cache.Add("b", new BackendStatement(3, 0));
        Assert.Equal(2, _server.PreparedStatements);

        cache.Clear();
        Assert.Equal(0, _server.PreparedStatements);
        Assert.Empty(cache.PendingCloses);
    }
}
