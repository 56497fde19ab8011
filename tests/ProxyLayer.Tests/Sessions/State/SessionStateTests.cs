using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class SessionStateTests
{
    [Fact]
    public void New_HasGivenSchemaAndCharacterSet()
    {
        var state = new SessionState("db", "SET NAMES utf8mb4");
        Assert.Equal("db", state.Schema);
        Assert.Equal("SET NAMES utf8mb4", state.CharacterSetStatement);
        Assert.Empty(state.Variables);
        Assert.Equal(PinReasons.None, state.Pins);
        Assert.Equal(0, state.Version);
    }

    [Fact]
    public void SetSchema_ChangesVersionOnlyOnRealChange()
    {
        var state = new SessionState("db", "SET NAMES utf8mb4");
        state.SetSchema("db");
        Assert.Equal(0, state.Version);
        state.SetSchema("other");
        Assert.Equal(1, state.Version);
        Assert.Equal("other", state.Schema);
        state.SetSchema("OTHER"); // schema names can be case-sensitive on the server
        Assert.Equal(2, state.Version);
        state.SetSchema(null);
        Assert.Equal(3, state.Version);
        state.SetSchema(null);
        Assert.Equal(3, state.Version);
    }

    [Fact]
    public void SetCharacterSet_ChangesVersionOnlyOnRealChange()
    {
        var state = new SessionState(null, "SET NAMES utf8mb4");
        state.SetCharacterSet("SET NAMES utf8mb4");
        Assert.Equal(0, state.Version);
        state.SetCharacterSet("SET NAMES latin1");
        Assert.Equal(1, state.Version);
        Assert.Equal("SET NAMES latin1", state.CharacterSetStatement);
    }

    [Fact]
    public void SetVariable_ChangesVersionOnlyOnRealChange()
    {
        var state = new SessionState(null, "SET NAMES utf8mb4");
        state.SetVariable("sql_mode", "'ANSI'");
        Assert.Equal(1, state.Version);
        state.SetVariable("sql_mode", "'ANSI'");
        Assert.Equal(1, state.Version);
        state.SetVariable("SQL_MODE", "'ANSI'");
        Assert.Equal(1, state.Version);
        state.SetVariable("sql_mode", "''");
        Assert.Equal(2, state.Version);
        state.SetVariable("autocommit", "0");
        Assert.Equal(3, state.Version);
        Assert.Equal(2, state.Variables.Count);
        Assert.Equal("''", state.Variables["sql_mode"]);
        Assert.Equal("0", state.Variables["autocommit"]);
    }

    [Fact]
    public void Pins_DoNotChangeVersion()
    {
        var state = new SessionState(null, "SET NAMES utf8mb4");
        state.Pins |= PinReasons.UserVariables;
        Assert.Equal(0, state.Version);
    }

    [Fact]
    public void Reset_ClearsVariablesAndPins()
    {
        var state = new SessionState("db", "SET NAMES utf8mb4");
        state.SetVariable("a", "1");
        state.SetCharacterSet("SET NAMES latin1");
        state.Pins = PinReasons.UserVariables | PinReasons.TableLocks;
        var before = state.Version;

        state.Reset("other", "SET NAMES binary");

        Assert.Empty(state.Variables);
        Assert.Equal(PinReasons.None, state.Pins);
        Assert.Equal("other", state.Schema);
        Assert.Equal("SET NAMES binary", state.CharacterSetStatement);
        Assert.NotEqual(before, state.Version);
    }

    [Fact]
    public void Reset_ChangesVersionSoASyncedConnectionIsResynchronised()
    {
        var state = new SessionState("db", "SET NAMES utf8mb4");
        state.SetVariable("a", "1");
        var before = state.Version;
        state.Reset("db", "SET NAMES utf8mb4");
        Assert.True(state.Version > before);
    }
}
