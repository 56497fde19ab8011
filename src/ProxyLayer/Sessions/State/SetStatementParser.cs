using System.Collections.Immutable;

namespace ProxyLayer.Sessions.State;

/// <summary>
/// Parses <c>SET</c> statements into state the proxy can re-apply on another backend connection:
/// <c>SET [SESSION|LOCAL|@@SESSION.|@@LOCAL.|@@]name = literal[, …]</c>, <c>SET NAMES cs [COLLATE co]</c>,
/// <c>SET CHARACTER SET cs</c>. Values must be literals (quoted strings, numbers, words such as DEFAULT or ON);
/// anything computed is <see cref="SetStatementKind.Untrackable"/>, which pins the session rather than guess.
/// </summary>
internal static class SetStatementParser
{
    public static SetStatement Parse(string sql)
    {
        var lexer = new SqlLexer(sql.AsSpan().TrimEnd().TrimEnd(';'));
        if (!lexer.TryWord(out var set) || !set.Equals("SET", StringComparison.OrdinalIgnoreCase))
            return SetStatement.Untrackable;

        var first = lexer.PeekWord();
        if (first.Equals("NAMES", StringComparison.OrdinalIgnoreCase) || first.Equals("CHARACTER", StringComparison.OrdinalIgnoreCase) ||
            first.Equals("CHARSET", StringComparison.OrdinalIgnoreCase))
        {
            var rest = lexer.Rest.Trim();
            return IsSimpleCharsetClause(rest) ? new SetStatement(SetStatementKind.CharacterSet, [], "SET " + rest.ToString()) : SetStatement.Untrackable;
        }
        if (first.Equals("TRANSACTION", StringComparison.OrdinalIgnoreCase))
            return SetStatement.NextTransaction;

        var variables = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var global = false;
        while (true)
        {
            var scope = Scope.Session;
            if (!lexer.TryVariableName(ref scope, out var name))
                return SetStatement.Untrackable;
            if (scope == Scope.User)
                return SetStatement.Untrackable;
            if (scope == Scope.Global)
            {
                global = true;
                if (!lexer.TryAssignment() || !lexer.TryLiteral(out _))
                    return SetStatement.Untrackable;
            }
            else
            {
                if (name.Equals("TRANSACTION", StringComparison.OrdinalIgnoreCase))
                    return SetStatement.Untrackable; // SET SESSION TRANSACTION …: characteristics differ by server version
                if (name.Equals("PASSWORD", StringComparison.OrdinalIgnoreCase))
                    return SetStatement.Untrackable; // SET PASSWORD = '…' changes the account, it is no variable to replay
                if (!lexer.TryAssignment() || !lexer.TryLiteral(out var value))
                    return SetStatement.Untrackable;
                variables.Add(new(name.ToString().ToLowerInvariant(), value.ToString()));
            }
            if (lexer.AtEnd)
                break;
            if (!lexer.TryComma())
                return SetStatement.Untrackable;
        }
        if (global)
            return variables.Count == 0 ? SetStatement.Global : SetStatement.Untrackable;
        return new SetStatement(SetStatementKind.SessionVariables, variables.ToImmutable(), null);
    }

    /// <summary><c>NAMES x [COLLATE y]</c>, <c>CHARACTER SET x</c> or <c>CHARSET x</c> with plain words or quoted names only.</summary>
    private static bool IsSimpleCharsetClause(ReadOnlySpan<char> clause)
    {
        foreach (var c in clause)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ' ' or '\'' or '"' or '`' or '\t'))
                return false;
        }
        return true;
    }

    /// <summary>GLOBAL, PERSIST or PERSIST_ONLY (MySQL 8): server-wide, whether as a keyword or an <c>@@…</c> prefix.</summary>
    internal static bool IsGlobalModifier(ReadOnlySpan<char> word) =>
        word.Equals("GLOBAL", StringComparison.OrdinalIgnoreCase) || word.Equals("PERSIST", StringComparison.OrdinalIgnoreCase) ||
        word.Equals("PERSIST_ONLY", StringComparison.OrdinalIgnoreCase);

    internal enum Scope { Session, Global, User }

    /// <summary>A tiny lexer over the text of one SET statement.</summary>
    private ref struct SqlLexer(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _position;

        public readonly ReadOnlySpan<char> Rest => _text[_position..];
        public bool AtEnd
        {
            get
            {
                SkipSpace();
                return _position >= _text.Length;
            }
        }

        public bool TryWord(out ReadOnlySpan<char> word)
        {
            SkipSpace();
            var start = _position;
            while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '$'))
                _position++;
            word = _text[start.._position];
            return word.Length > 0;
        }

        public ReadOnlySpan<char> PeekWord()
        {
            var saved = _position;
            TryWord(out var word);
            _position = saved;
            return word;
        }

        public bool TryVariableName(ref Scope scope, out ReadOnlySpan<char> name)
        {
            SkipSpace();
            name = default;
            if (_position < _text.Length && _text[_position] == '@')
            {
                if (_position + 1 < _text.Length && _text[_position + 1] == '@')
                {
                    _position += 2;
                    if (!TryWord(out var part))
                        return false;
                    if (_position < _text.Length && _text[_position] == '.')
                    {
                        _position++;
                        scope = IsGlobalModifier(part) ? Scope.Global : Scope.Session;
                        return TryWord(out name);
                    }
                    name = part;
                    return true;
                }
                scope = Scope.User;
                return true;
            }
            if (!TryWord(out var word))
                return false;
            if (word.Equals("SESSION", StringComparison.OrdinalIgnoreCase) || word.Equals("LOCAL", StringComparison.OrdinalIgnoreCase))
                return TryWord(out name);
            if (IsGlobalModifier(word))
            {
                scope = Scope.Global;
                return TryWord(out name);
            }
            name = word;
            return true;
        }

        public bool TryAssignment()
        {
            SkipSpace();
            if (_position < _text.Length && _text[_position] == '=')
            {
                _position++;
                return true;
            }
            if (_position + 1 < _text.Length && _text[_position] == ':' && _text[_position + 1] == '=')
            {
                _position += 2;
                return true;
            }
            return false;
        }

        /// <summary>A quoted string, a number, or a bare word; then a comma or the end must follow.</summary>
        public bool TryLiteral(out ReadOnlySpan<char> literal)
        {
            SkipSpace();
            literal = default;
            if (_position >= _text.Length)
                return false;
            var start = _position;
            var c = _text[_position];
            if (c is '\'' or '"')
            {
                _position = StatementClassifier.SkipQuoted(_text, _position);
            }
            else if (char.IsAsciiDigit(c) || c is '-' or '+' or '.')
            {
                _position++;
                while (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] is '.' or 'e' or 'E'))
                    _position++;
            }
            else if (!TryWord(out _))
            {
                return false;
            }
            literal = _text[start.._position];
            var saved = _position;
            SkipSpace();
            var ok = _position >= _text.Length || _text[_position] == ',';
            _position = saved;
            return ok;
        }

        public bool TryComma()
        {
            SkipSpace();
            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
                return true;
            }
            return false;
        }

        private void SkipSpace()
        {
            while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
                _position++;
        }
    }
}
