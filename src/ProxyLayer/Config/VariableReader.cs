using System.Collections.Immutable;
using System.Globalization;

namespace ProxyLayer.Config;

/// <summary>
/// Reads one module's variables (<c>mysql-</c> or <c>admin-</c>) as typed values over the built-in defaults, collecting
/// every error instead of stopping at the first, so admin <c>LOAD … TO RUNTIME</c> can list them all.
/// </summary>
internal sealed class VariableReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _errors = [];
    private readonly string _prefix;

    public VariableReader(IReadOnlyDictionary<string, string> variables, string prefix)
    {
        _prefix = prefix;
        foreach (var (name, value) in VariableDefaults.All)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                _values[name] = value;
        }
        foreach (var (name, value) in variables)
        {
            if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                continue;
            if (!_values.ContainsKey(name))
                _errors.Add($"{name}: unknown variable");
            else
                _values[name] = value;
        }
    }

    public string Text(string name) => Raw(name);

    /// <summary>One of <paramref name="allowed"/>, compared case-insensitively and returned as listed.</summary>
    public string OneOf(string name, params string[] allowed)
    {
        string text = Raw(name).Trim();
        foreach (var value in allowed)
        {
            if (string.Equals(value, text, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return Fail(name, $"'{text}' is not one of {string.Join(", ", allowed)}", allowed[0]);
    }

    public int Int(string name, int min, int max)
    {
        string text = Raw(name);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            return Fail<int>(name, $"'{text}' is not an integer");
        if (value < min || value > max)
            return Fail<int>(name, $"{value} is out of range ({min}..{max})");
        return (int)value;
    }

    public bool Bool(string name)
    {
        string text = Raw(name);
        if (TryParseBool(text, out bool value))
            return value;
        return Fail<bool>(name, $"'{text}' is not a boolean (true/false)");
    }

    /// <summary>An empty list falls back to <paramref name="whenEmpty"/> when given; otherwise it is an error.</summary>
    public ImmutableArray<ListenEndpoint> Endpoints(string name, string? whenEmpty = null)
    {
        string text = Raw(name);
        if (text.Trim().Length == 0 && whenEmpty is not null)
            text = whenEmpty;
        if (!ListenEndpoint.TryParseList(text, out var endpoints, out string error))
            return Fail<ImmutableArray<ListenEndpoint>>(name, error, []);
        if (endpoints.Count == 0)
            return Fail<ImmutableArray<ListenEndpoint>>(name, "needs at least one host:port", []);
        return [.. endpoints];
    }

    public ImmutableArray<Credential> Credentials(string name)
    {
        string text = Raw(name);
        if (!Credential.TryParseList(text, out var credentials, out string error))
            return Fail<ImmutableArray<Credential>>(name, error, []);
        return [.. credentials];
    }

    /// <summary>
    /// Checks the variables the typed record does not expose by the shape of their default (boolean, integer or text),
    /// then returns the record or the errors.
    /// </summary>
    public VariablesParseResult<T> Finish<T>(T value)
        where T : class
    {
        foreach (var (name, text) in _values)
        {
            if (_read.Contains(name))
                continue;
            string defaultText = VariableDefaults.All[name];
            bool defaultIsBoolean = defaultText is "true" or "false";
            if (defaultIsBoolean && !TryParseBool(text, out _))
                _errors.Add($"{name}: '{text}' is not a boolean (true/false)");
            else if (long.TryParse(defaultText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                _errors.Add($"{name}: '{text}' is not an integer");
        }
        _errors.Sort(StringComparer.Ordinal);
        return _errors.Count == 0 ? new(value, []) : new(null, [.. _errors]);
    }

    /// <summary>ProxySQL accepts true/false in any case, and 1/0, for its boolean variables.</summary>
    internal static bool TryParseBool(string text, out bool value)
    {
        value = text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1";
        return value || text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0";
    }

    private string Raw(string name)
    {
        string fullName = _prefix + name;
        _read.Add(fullName);
        return _values.TryGetValue(fullName, out string? value)
            ? value
            : throw new InvalidOperationException($"{fullName} is not in the variable defaults");
    }

    private T Fail<T>(string name, string problem, T fallback = default!)
    {
        _errors.Add($"{_prefix}{name}: {problem}");
        return fallback;
    }
}
