using ProxyLayer.Routing;

namespace ProxyLayer.Stats;

/// <summary>
/// What sessions record per statement, for the admin's stats tables: query digests
/// (<c>stats_mysql_query_digest</c>), per-command latency (<c>stats_mysql_commands_counters</c>) and global counters
/// (<c>stats_mysql_global</c>). One instance per proxy, shared by every session. Recording takes no lock; a statement
/// whose digest is already known allocates nothing here.
/// </summary>
internal sealed class QueryStatistics
{
    private readonly TimeProvider _time;
    private readonly long _startedTimestamp;
    private volatile QueryStatisticsOptions _options;

    public QueryStatistics(TimeProvider time, QueryStatisticsOptions? options = null)
    {
        _time = time;
        _options = options ?? QueryStatisticsOptions.Default;
        _startedTimestamp = time.GetTimestamp();
    }

    public QueryStatisticsOptions Options => _options;
    public DigestTable Digests { get; } = new();
    public CommandCounters Commands { get; } = new();
    public GlobalCounters Globals { get; } = new();
    /// <summary>Statement time per hostgroup (the dashboard, <c>proxylayer_hostgroup_statement_duration_seconds</c>).</summary>
    public HostgroupLatency Hostgroups { get; } = new();
    /// <summary>Errors backends answered (<c>stats_mysql_errors</c>).</summary>
    public BackendErrors Errors { get; } = new();

    /// <summary>Time since this instance was made (ProxySQL_Uptime).</summary>
    public TimeSpan Uptime => _time.GetElapsedTime(_startedTimestamp);

    /// <summary>Takes new options (after a LOAD MYSQL VARIABLES TO RUNTIME); entries already recorded stay.</summary>
    public void Configure(QueryStatisticsOptions options) => _options = options;

    /// <summary>A timestamp to pass to <see cref="ElapsedMicroseconds"/> when the statement is answered.</summary>
    public long GetTimestamp() => _time.GetTimestamp();

    public long ElapsedMicroseconds(long startTimestamp) => (long)_time.GetElapsedTime(startTimestamp).TotalMicroseconds;

    /// <summary>The digest with the configured <c>query_digests_*</c> options; allocates the digest text only.</summary>
    public QueryDigestResult ComputeDigest(string query) => QueryDigest.Compute(query, _options.Digest);

    /// <summary>Records an error packet a backend sent to a client (the error path only).</summary>
    public void RecordBackendError(in BackendErrorKey key, string clientAddress, string message) =>
        Errors.Record(key, clientAddress, message, _time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Records a statement a backend answered (successfully or with an error).</summary>
    public void Record(in ExecutedStatement statement)
    {
        var options = _options;
        var elapsed = Math.Max(0, statement.ElapsedMicroseconds);
        Globals.OnQuestion();
        Globals.OnBackendQuery(elapsed, elapsed > options.SlowQueryMicroseconds);
        Hostgroups.Record(statement.Hostgroup, elapsed);
        if (options.CommandsEnabled)
            Commands.Record(QueryCommandClassifier.Classify(statement.Query.Span), elapsed);
        if (!options.DigestsEnabled)
            return;
        if (statement.Digest is { } digest)
        {
            RecordDigest(statement, options, digest.Text, digest.Hash, elapsed);
            return;
        }
        // The text goes into a stack buffer; the table makes a string of it only for a digest it has not seen.
        QueryDigest.WithText(statement.Query.Span, options.Digest, new DigestRecording(this, statement, options, elapsed),
            static (text, recording) =>
            {
                recording.Statistics.RecordDigest(recording.Statement, recording.Options, text, QueryDigest.ComputeHash(text), recording.Elapsed);
                return true;
            });
    }

    private readonly record struct DigestRecording(QueryStatistics Statistics, ExecutedStatement Statement, QueryStatisticsOptions Options, long Elapsed);

    private void RecordDigest(in ExecutedStatement statement, QueryStatisticsOptions options, ReadOnlySpan<char> text, ulong hash, long elapsed)
    {
        var key = new DigestKey(statement.Hostgroup, statement.Schema ?? "", statement.Username ?? "",
            options.TrackClientAddress ? statement.ClientAddress ?? "" : "", hash);
        Digests.Record(key, text, _time.GetUtcNow().ToUnixTimeSeconds(), elapsed,
            Math.Max(0, statement.RowsAffected), Math.Max(0, statement.RowsSent), options.MaxDigestEntries);
    }

    /// <summary>
    /// Records a statement the proxy answered itself without a backend (a COMMIT or ROLLBACK with no transaction
    /// open, counted in <c>Com_commit_filtered</c> / <c>Com_rollback_filtered</c>).
    /// </summary>
    public void RecordAnsweredLocally(ReadOnlySpan<char> query)
    {
        Globals.OnQuestion();
        switch (QueryCommandClassifier.Classify(query))
        {
            case QueryCommand.Commit:
                Globals.OnCommitFiltered();
                break;
            case QueryCommand.Rollback:
                Globals.OnRollbackFiltered();
                break;
        }
    }

    /// <summary>A client connected (before its login).</summary>
    public void OnClientConnectionCreated() => Globals.OnClientConnectionCreated();

    /// <summary>A client's login failed or its connection ended without COM_QUIT (protocol error, drop).</summary>
    public void OnClientConnectionAborted() => Globals.OnClientConnectionAborted();
}
