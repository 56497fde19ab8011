using ProxyLayer.Admin;

namespace ProxyLayer.Tests.Admin;

/// <summary>An in-memory admin store, a fake runtime and an executor, with helpers that fail the test on an ERR.</summary>
internal sealed class AdminHarness : IDisposable
{
    public AdminHarness(AdminStore? store = null, FakeRuntimeConfig? runtime = null, ProxyLayer.Config.ProxyConfig? configFile = null)
    {
        Runtime = runtime ?? new FakeRuntimeConfig();
        Store = store ?? AdminStore.OpenInMemory(configFile is null ? null : new ConfigFileSource("/etc/proxysql.cnf", () => configFile));
        Executor = new AdminStatementExecutor(Store, Runtime);
    }

    public AdminStore Store { get; }
    public FakeRuntimeConfig Runtime { get; }
    public AdminStatementExecutor Executor { get; }
    public AdminSessionContext Session { get; } = new("admin", connectionId: 7);

    public AdminResult Run(string sql) => Executor.Execute(sql, Session);

    public AdminResult.Ok Ok(string sql)
    {
        var result = Run(sql);
        return result as AdminResult.Ok ?? throw new Xunit.Sdk.XunitException($"{sql} → {result}");
    }

    public AdminResult.Rows Rows(string sql)
    {
        var result = Run(sql);
        return result as AdminResult.Rows ?? throw new Xunit.Sdk.XunitException($"{sql} → {result}");
    }

    public AdminResult.Error Error(string sql)
    {
        var result = Run(sql);
        return result as AdminResult.Error ?? throw new Xunit.Sdk.XunitException($"{sql} expected an error, got {result}");
    }

    /// <summary>The first column of a single-column (or first-column) query, row by row.</summary>
    public List<string?> Column(string sql) => [.. Rows(sql).Values.Select(r => r[0])];

    public string? Scalar(string sql) => Rows(sql).Values.Single()[0];

    public void Dispose() => Store.Dispose();
}

internal static class AdminAssert
{
    /// <summary>Compares rows of text that may hold NULLs (Assert.Equal's span overloads reject string?).</summary>
    public static void Row(IEnumerable<string?> expected, IEnumerable<string?> actual) => Assert.Equal(expected, actual);
}
