using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProxyLayer.Config;

/// <summary>
/// Splits libconfig text into tokens, skipping whitespace and the three comment styles. Index-based over the text,
/// tracking line and column for error messages.
/// </summary>
internal ref struct LibconfigTokenizer
{
    private readonly ReadOnlySpan<char> _text;
    private readonly string _file;
    private int _position;
    private int _line;
    private int _lineStart;

    public LibconfigTokenizer(ReadOnlySpan<char> text, string file)
    {
        _text = text;
        _file = file;
        _line = 1;
    }

    public LibconfigToken Next()
    {
        SkipWhitespaceAndComments();
        int line = _line, column = Column;
        if (_position >= _text.Length)
            return new(LibconfigTokenKind.EndOfFile, "", 0, 0, line, column);

        char c = _text[_position];
        if (c is '=' or ':' or ';' or ',' or '{' or '}' or '(' or ')' or '[' or ']')
        {
            _position++;
            return new(LibconfigTokenKind.Punctuation, c.ToString(), 0, 0, line, column);
        }
        if (c == '"')
            return ReadString(line, column);
        if (c is '-' or '+' or '.' || char.IsAsciiDigit(c))
            return ReadNumber(line, column);
        if (char.IsAsciiLetter(c) || c == '*')
            return new(LibconfigTokenKind.Name, ReadWhile(static ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '*'), 0, 0, line, column);
        if (c == '@' && _text[_position..].StartsWith("@include", StringComparison.Ordinal))
        {
            _position += "@include".Length;
            return new(LibconfigTokenKind.Include, "@include", 0, 0, line, column);
        }
        throw Error(line, column, "a setting name, value or punctuation", $"'{c}'");
    }

    private readonly int Column => _position - _lineStart + 1;

    private void SkipWhitespaceAndComments()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c == '\n')
            {
                _position++;
                _line++;
                _lineStart = _position;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (_position < _text.Length && _text[_position] != '\n')
                    _position++;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlockComment()
    {
        int line = _line, column = Column;
        _position += 2;
        while (_position < _text.Length)
        {
            if (_text[_position] == '*' && Peek(1) == '/')
            {
                _position += 2;
                return;
            }
            AdvanceOne();
        }
        throw Error(line, column, "'*/' to close the comment", "end of file");
    }

    private LibconfigToken ReadString(int line, int column)
    {
        var value = new StringBuilder();
        _position++; // opening quote
        while (true)
        {
            if (_position >= _text.Length)
                throw Error(line, column, "'\"' to close the string", "end of file");
            char c = _text[_position];
            if (c == '"')
            {
                _position++;
                return new(LibconfigTokenKind.String, value.ToString(), 0, 0, line, column);
            }
            if (c == '\\')
            {
                value.Append(ReadEscape());
                continue;
            }
            value.Append(c);
            AdvanceOne();
        }
    }

    private char ReadEscape()
    {
        int line = _line, column = Column;
        char code = Peek(1);
        _position += 2;
        switch (code)
        {
            case '"': return '"';
            case '\\': return '\\';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'f': return '\f';
            case 'x':
                if (_position + 2 <= _text.Length
                    && byte.TryParse(_text.Slice(_position, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                {
                    _position += 2;
                    return (char)b;
                }
                throw Error(line, column, "two hex digits after '\\x'", "something else");
            default:
                throw Error(line, column, "an escape (\\\" \\\\ \\n \\r \\t \\f \\xNN)", code == '\0' ? "end of file" : $"'\\{code}'");
        }
    }

    private LibconfigToken ReadNumber(int line, int column)
    {
        int start = _position;
        string raw = ReadWhile(static ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '+');
        ReadOnlySpan<char> body = raw;
        bool negative = body.Length > 0 && body[0] == '-';
        ReadOnlySpan<char> unsigned = body.TrimStart("+-");

        bool forced64 = unsigned.EndsWith("L", StringComparison.OrdinalIgnoreCase);
        ReadOnlySpan<char> digits = unsigned.TrimEnd("Ll");
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex))
        {
            long value = negative ? -(long)hex : (long)hex;
            // Hex literals are bit patterns: 0xFFFFFFFF is a 32-bit -1 in libconfig, so only the width decides 64-bit.
            bool is64 = forced64 || hex > uint.MaxValue;
            return new(is64 ? LibconfigTokenKind.Integer64 : LibconfigTokenKind.Integer, raw, value, 0, line, column);
        }
        if (!digits.ContainsAny('.', 'e', 'E')
            && long.TryParse(body.TrimEnd("Ll"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            bool is64 = forced64 || integer is > int.MaxValue or < int.MinValue;
            return new(is64 ? LibconfigTokenKind.Integer64 : LibconfigTokenKind.Integer, raw, integer, 0, line, column);
        }
        if (!forced64 && double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
            return new(LibconfigTokenKind.Float, raw, 0, real, line, column);

        _position = start;
        throw Error(line, column, "a number", $"'{raw}'");
    }

    private string ReadWhile(Func<char, bool> accept)
    {
        int start = _position;
        while (_position < _text.Length && accept(_text[_position]))
            _position++;
        return _text[start.._position].ToString();
    }

    private void AdvanceOne()
    {
        if (_text[_position] == '\n')
        {
            _line++;
            _lineStart = _position + 1;
        }
        _position++;
    }

    private readonly char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    /// <summary>
    /// Set while the text being read may hold a secret (the value of a password setting): errors then say what was
    /// expected but not what was found, so a typo in the file never prints the password in a start-up error.
    /// </summary>
    public bool HideFound { get; set; }

    [StackTraceHidden]
    public readonly ConfigFileException Error(int line, int column, string expected, string found) =>
        new(_file, line, column, $"expected {expected}, found {(HideFound ? "something not shown (the setting may hold a password)" : found)}");
}
