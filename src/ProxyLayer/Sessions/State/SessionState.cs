namespace ProxyLayer.Sessions.State;

/// <summary>
/// The session state a client expects, independent of which backend connection serves its next statement:
/// schema, character set, and the session variables it set. <see cref="Version"/> changes with every change, so a
/// connection that was last synchronised with this version needs no work.
/// </summary>
internal sealed class SessionState
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.OrdinalIgnoreCase);

    public SessionState(string? schema, string characterSetStatement)
    {
        Schema = schema;
        CharacterSetStatement = characterSetStatement;
    }

    public string? Schema { get; private set; }
    /// <summary>The statement that sets the connection's character set as the client wants it (e.g. <c>SET NAMES utf8mb4</c>).</summary>
    public string CharacterSetStatement { get; private set; }
    public IReadOnlyDictionary<string, string> Variables => _variables;
    public long Version { get; private set; }
    public PinReasons Pins { get; set; }

    public void SetSchema(string? schema)
    {
        if (string.Equals(Schema, schema, StringComparison.Ordinal))
            return;
        Schema = schema;
        Version++;
    }

    public void SetCharacterSet(string statement)
    {
        if (CharacterSetStatement == statement)
            return;
        CharacterSetStatement = statement;
        Version++;
    }

    public void SetVariable(string name, string value)
    {
        if (_variables.TryGetValue(name, out var current) && current == value)
            return;
        _variables[name] = value;
        Version++;
    }

    /// <summary>Back to a fresh login's state (COM_RESET_CONNECTION, COM_CHANGE_USER).</summary>
    public void Reset(string? schema, string characterSetStatement)
    {
        Schema = schema;
        CharacterSetStatement = characterSetStatement;
        _variables.Clear();
        Pins = PinReasons.None;
        Version++;
    }
}
