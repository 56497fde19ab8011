using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;

namespace ProxyLayer.Config;

/// <summary>
/// Parses libconfig text (the syntax of <c>proxysql.cnf</c>) into an immutable tree of <see cref="LibconfigSetting"/>s.
/// Recursive descent over <see cref="LibconfigTokenizer"/> with one token of lookahead.
/// </summary>
public ref struct LibconfigParser
{
    // Deep enough for any real layout, shallow enough that an include cycle fails fast with a clear message.
    private const int MaxIncludeDepth = 10;

    private LibconfigTokenizer _tokenizer;
    private LibconfigToken _current;
    private readonly string _file;
    private readonly int _includeDepth;

    private LibconfigParser(ReadOnlySpan<char> text, string file, int includeDepth)
    {
        _tokenizer = new LibconfigTokenizer(text, file);
        _file = file;
        _includeDepth = includeDepth;
        _current = _tokenizer.Next();
    }

    /// <summary>Parses a file; <c>@include</c> paths are relative to the including file's folder.</summary>
    public static ImmutableArray<LibconfigSetting> ParseFile(string path) => ParseFile(path, 0, null);

    /// <summary>Parses text; <paramref name="file"/> names it in error messages and anchors relative <c>@include</c>s.</summary>
    public static ImmutableArray<LibconfigSetting> ParseText(string text, string file = "<text>")
    {
        var parser = new LibconfigParser(text, file, 0);
        return parser.ParseTopLevel();
    }

    private static ImmutableArray<LibconfigSetting> ParseFile(string path, int includeDepth, ConfigFileException? includeSite)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (includeSite is not null)
                throw new ConfigFileException(includeSite.FilePath, includeSite.Line, includeSite.Column, $"cannot read included file '{path}': {e.Message}", e);
            throw new ConfigFileException(path, 0, 0, $"cannot read file: {e.Message}", e);
        }
        var parser = new LibconfigParser(text, path, includeDepth);
        return parser.ParseTopLevel();
    }

    private ImmutableArray<LibconfigSetting> ParseTopLevel() => ParseSettingsUntil(LibconfigTokenKind.EndOfFile, '\0');

    /// <summary>Reads settings until end of file (top level) or the closing brace of a group (not consumed).</summary>
    private ImmutableArray<LibconfigSetting> ParseSettingsUntil(LibconfigTokenKind endKind, char endPunctuation)
    {
        var settings = ImmutableArray.CreateBuilder<LibconfigSetting>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (!(endKind == LibconfigTokenKind.EndOfFile ? _current.Kind == LibconfigTokenKind.EndOfFile : _current.IsPunctuation(endPunctuation)))
        {
            if (_current.Kind == LibconfigTokenKind.EndOfFile)
                throw Error(_current, $"'{endPunctuation}' to close the group", _current.Describe());
            if (_current.Kind == LibconfigTokenKind.Include)
            {
                foreach (var included in ParseInclude())
                    AddUnique(settings, names, included, _current);
                continue;
            }
            var nameToken = _current;
            var setting = ParseSetting();
            AddUnique(settings, names, setting, nameToken);
        }
        return settings.ToImmutable();
    }

    private readonly void AddUnique(ImmutableArray<LibconfigSetting>.Builder settings, HashSet<string> names, LibconfigSetting setting, LibconfigToken at)
    {
        if (!names.Add(setting.Name))
            throw Error(at, "a setting name not used before in this group", $"duplicate '{setting.Name}'");
        settings.Add(setting);
    }

    private ImmutableArray<LibconfigSetting> ParseInclude()
    {
        var includeToken = _current;
        Advance();
        if (_current.Kind != LibconfigTokenKind.String)
            throw Error(_current, "a quoted file name after @include", _current.Describe());
        string name = ReadStringValue();
        if (_includeDepth >= MaxIncludeDepth)
            throw Error(includeToken, $"at most {MaxIncludeDepth} nested @include levels", "more (an include cycle?)");
        string folder = Path.GetDirectoryName(_file) ?? "";
        string path = Path.IsPathRooted(name) ? name : Path.Combine(folder, name);
        var site = new ConfigFileException(_file, includeToken.Line, includeToken.Column, "");
        return ParseFile(path, _includeDepth + 1, site);
    }

    private LibconfigSetting ParseSetting()
    {
        var nameToken = _current;
        if (nameToken.Kind != LibconfigTokenKind.Name)
            throw Error(nameToken, "a setting name", nameToken.Describe());
        _tokenizer.HideFound = SecretSettings.IsSecret(nameToken.Text);
        Advance();
        if (!_current.IsPunctuation('=') && !_current.IsPunctuation(':'))
            throw Error(_current, "'=' or ':' after setting name", _current.Describe());
        Advance();
        var value = ParseValue();
        if (_current.IsPunctuation(';') || _current.IsPunctuation(','))
            Advance();
        return new LibconfigSetting(nameToken.Text, value, _file, nameToken.Line);
    }

    private LibconfigValue ParseValue()
    {
        var token = _current;
        if (token.IsPunctuation('{'))
        {
            Advance();
            var settings = ParseSettingsUntil(LibconfigTokenKind.Punctuation, '}');
            Advance();
            return LibconfigValue.FromGroup(settings, token.Line);
        }
        if (token.IsPunctuation('('))
            return LibconfigValue.FromList(ParseElements(')', scalarsOnly: false), token.Line);
        if (token.IsPunctuation('['))
            return LibconfigValue.FromArray(ParseElements(']', scalarsOnly: true), token.Line);
        return ParseScalar("a value", token);
    }

    /// <summary>Comma-separated values up to <paramref name="close"/>; a trailing comma is tolerated, as sample configs have them.</summary>
    private ImmutableArray<LibconfigValue> ParseElements(char close, bool scalarsOnly)
    {
        Advance(); // opening bracket
        var elements = ImmutableArray.CreateBuilder<LibconfigValue>();
        while (!_current.IsPunctuation(close))
        {
            elements.Add(scalarsOnly ? ParseScalar("a scalar value or ']'", _current) : ParseValue());
            if (_current.IsPunctuation(','))
                Advance();
            else if (!_current.IsPunctuation(close))
                throw Error(_current, $"',' or '{close}'", _current.Describe());
        }
        Advance();
        return elements.ToImmutable();
    }

    private LibconfigValue ParseScalar(string expected, LibconfigToken token)
    {
        switch (token.Kind)
        {
            case LibconfigTokenKind.String:
                return LibconfigValue.FromString(ReadStringValue(), token.Line);
            case LibconfigTokenKind.Integer or LibconfigTokenKind.Integer64:
                Advance();
                return LibconfigValue.FromInteger(token.Integer, token.Kind == LibconfigTokenKind.Integer64, token.Line);
            case LibconfigTokenKind.Float:
                Advance();
                return LibconfigValue.FromFloat(token.Float, token.Line);
            case LibconfigTokenKind.Name when token.Text.Equals("true", StringComparison.OrdinalIgnoreCase):
                Advance();
                return LibconfigValue.FromBoolean(true, token.Line);
            case LibconfigTokenKind.Name when token.Text.Equals("false", StringComparison.OrdinalIgnoreCase):
                Advance();
                return LibconfigValue.FromBoolean(false, token.Line);
            default:
                throw Error(token, expected, token.Describe());
        }
    }

    /// <summary>Adjacent string literals are one string ("abc" "def" is "abcdef"), as in C.</summary>
    private string ReadStringValue()
    {
        var text = new StringBuilder(_current.Text);
        Advance();
        while (_current.Kind == LibconfigTokenKind.String)
        {
            text.Append(_current.Text);
            Advance();
        }
        return text.ToString();
    }

    private void Advance() => _current = _tokenizer.Next();

    [StackTraceHidden]
    private readonly ConfigFileException Error(LibconfigToken at, string expected, string found) =>
        _tokenizer.Error(at.Line, at.Column, expected, found);
}
