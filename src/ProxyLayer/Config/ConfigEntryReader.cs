using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// Reads one group of a config list (a <c>mysql_servers</c> entry, say) by key, with typed getters that fail with the
/// entry's file and line. Remembers which keys were read so the rest can be reported as unknown.
/// </summary>
internal sealed class ConfigEntryReader
{
    private readonly Dictionary<string, LibconfigSetting> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _section;
    private readonly string _file;
    private readonly int _line;

    public ConfigEntryReader(string section, string file, LibconfigValue entry)
    {
        _section = section;
        _file = file;
        _line = entry.Line;
        if (entry.Kind != LibconfigValueKind.Group)
            throw new ConfigFileException(file, entry.Line, 0, $"{section}: expected a group {{ … }} per entry, found {entry.KindName}");
        foreach (var setting in entry.Settings)
            _settings.TryAdd(setting.Name, setting);
    }

    public string? String(string key) => Read(key, "a string", static v => v.Kind == LibconfigValueKind.Text ? v.TextValue : null);

    public int? Int(string key) =>
        Read(key, "an integer", static v => v.IsInteger && v.IntegerValue is >= int.MinValue and <= int.MaxValue ? (int)v.IntegerValue : (int?)null);

    /// <summary>ProxySQL tables store flags as 0/1, so both <c>active=1</c> and <c>active=true</c> are accepted.</summary>
    public bool? Bool(string key) => Read(key, "a boolean or 0/1", static v => v.Kind switch
    {
        LibconfigValueKind.Boolean => v.BooleanValue,
        LibconfigValueKind.Integer32 or LibconfigValueKind.Integer64 when v.IntegerValue is 0 or 1 => v.IntegerValue == 1,
        _ => (bool?)null,
    });

    /// <summary>The first of <paramref name="keys"/> present (aliases such as <c>address</c>/<c>hostname</c>), or an error naming them all.</summary>
    public string RequiredString(params string[] keys) => Required(keys, String) ?? throw Missing(keys);

    public int RequiredInt(params string[] keys) => Required(keys, Int) ?? throw Missing(keys);

    public ConfigFileException Invalid(string key, string problem) =>
        new(_file, LineOf(key), 0, $"{_section}: '{key}' {problem}");

    public IEnumerable<string> UnknownKeyWarnings()
    {
        foreach (var setting in _settings.Values)
        {
            if (!_used.Contains(setting.Name))
                yield return $"{_file}:{setting.Line}: {_section}: unknown key '{setting.Name}' ignored";
        }
    }

    private T? Required<T>(string[] keys, Func<string, T?> read)
    {
        foreach (string key in keys)
        {
            if (_settings.ContainsKey(key))
                return read(key);
        }
        return default;
    }

    private T? Read<T>(string key, string expected, Func<LibconfigValue, T?> convert)
    {
        if (!_settings.TryGetValue(key, out var setting))
            return default;
        _used.Add(key);
        var value = setting.Value;
        return convert(value) ?? throw new ConfigFileException(
            _file, setting.Line, 0, $"{_section}: '{key}' must be {expected}, found {value.KindName}{(SecretSettings.IsSecret(key) ? "" : " " + Quote(value))}");
    }

    private ConfigFileException Missing(string[] keys)
    {
        string names = keys.Length == 1 ? $"'{keys[0]}'" : $"'{keys[0]}' (or {string.Join(", ", keys.Skip(1).Select(k => $"'{k}'"))})";
        return new ConfigFileException(_file, _line, 0, $"{_section}: entry is missing required {names}");
    }

    private int LineOf(string key) => _settings.TryGetValue(key, out var setting) ? setting.Line : _line;

    private static string Quote(LibconfigValue value) =>
        value.Kind == LibconfigValueKind.Text ? $"\"{value.TextValue}\"" : value.IsScalar ? value.ToScalarText()! : "";
}
