using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class StateSynchronizerTests
{
    private static Dictionary<string, string> Vars(params (string Name, string Value)[] pairs)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in pairs)
            dictionary[name] = value;
        return dictionary;
    }

    [Fact]
    public void BuildVariableDiff_NothingOnEitherSide_IsNull() => Assert.Null(StateSynchronizer.BuildVariableDiff(Vars(), Vars()));

    [Fact]
    public void BuildVariableDiff_SameValues_IsNull() =>
        Assert.Null(StateSynchronizer.BuildVariableDiff(Vars(("a", "1"), ("b", "'x'")), Vars(("b", "'x'"), ("a", "1"))));

    [Fact]
    public void BuildVariableDiff_NewVariable() =>
        Assert.Equal("SET SESSION a = 1", StateSynchronizer.BuildVariableDiff(Vars(("a", "1")), Vars()));

    [Fact]
    public void BuildVariableDiff_ChangedValue() =>
        Assert.Equal("SET SESSION sql_mode = 'ANSI'", StateSynchronizer.BuildVariableDiff(Vars(("sql_mode", "'ANSI'")), Vars(("sql_mode", "''"))));

    [Fact]
    public void BuildVariableDiff_AppliedButNotWanted_ResetToDefault() =>
        Assert.Equal("SET SESSION wait_timeout = DEFAULT", StateSynchronizer.BuildVariableDiff(Vars(), Vars(("wait_timeout", "100"))));

    [Fact]
    public void BuildVariableDiff_WantedFirstThenResets()
    {
        var wanted = Vars(("a", "1"), ("c", "3"), ("d", "4"));
        var applied = Vars(("b", "2"), ("c", "3"), ("d", "5"), ("e", "6"));
        Assert.Equal("SET SESSION a = 1, d = 4, b = DEFAULT, e = DEFAULT", StateSynchronizer.BuildVariableDiff(wanted, applied));
    }

    [Fact]
    public void BuildVariableDiff_ExactFormat() =>
        Assert.Equal("SET SESSION a = 1, b = DEFAULT", StateSynchronizer.BuildVariableDiff(Vars(("a", "1")), Vars(("b", "2"))));

    [Fact]
    public void BuildVariableDiff_ValueComparisonIsExact() =>
        Assert.Equal("SET SESSION a = 'X'", StateSynchronizer.BuildVariableDiff(Vars(("a", "'X'")), Vars(("a", "'x'"))));
}
