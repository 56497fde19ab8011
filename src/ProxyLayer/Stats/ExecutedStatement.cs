using ProxyLayer.Routing;

namespace ProxyLayer.Stats;

/// <summary>
/// One statement a backend answered, as <see cref="QueryStatistics.Record"/> takes it. Passed by <c>in</c>, so
/// building it costs nothing.
/// </summary>
internal readonly record struct ExecutedStatement
{
    /// <summary>The statement as sent to the backend (after any rewrite); its first keyword names the command.</summary>
    public required ReadOnlyMemory<char> Query { get; init; }

    /// <summary>The digest if the session already has it (from <see cref="QueryStatistics.ComputeDigest"/> or the rules); otherwise it is computed here.</summary>
    public QueryDigestResult? Digest { get; init; }

    /// <summary>The hostgroup the statement ran on.</summary>
    public int Hostgroup { get; init; }

    public string? Schema { get; init; }
    public string? Username { get; init; }

    /// <summary>The client's IP address as text; pass a string the session keeps, not one formatted per statement.</summary>
    public string? ClientAddress { get; init; }

    public long ElapsedMicroseconds { get; init; }
    public long RowsAffected { get; init; }
    public long RowsSent { get; init; }
}
