namespace ProxyLayer.Sessions.State;

/// <summary>
/// Statements about what happened on a server connection rather than about data: session status counters
/// (<c>FLUSH STATUS</c>, <c>SHOW [SESSION|LOCAL] STATUS</c>) and profiles (<c>SET profiling</c>, <c>SHOW PROFILE[S]</c>); and <c>SET</c>s of
/// global scope, after which new sessions must see the new values. Only looked at for SHOW, FLUSH and SET statements.
/// </summary>
internal static class SessionHistoryStatement
{
    public static bool Is(ReadOnlySpan<char> sql)
    {
        var words = new WordReader(sql);
        var first = words.Next();
        var second = words.Next();
        // SET profiling needs no tracking of its own: the pin this gives the session keeps the profiles with it.
        if (Is(first, "SET"))
            return second.StartsWith("profiling", StringComparison.OrdinalIgnoreCase) ||
                ((Is(second, "SESSION") || Is(second, "LOCAL")) && words.Next().StartsWith("profiling", StringComparison.OrdinalIgnoreCase));
        if (Is(first, "FLUSH"))
        {
            if (Is(second, "LOCAL") || Is(second, "NO_WRITE_TO_BINLOG"))
                second = words.Next();
            return Is(second, "STATUS");
        }
        if (!Is(first, "SHOW"))
            return false;
        if (Is(second, "SESSION") || Is(second, "LOCAL"))
            second = words.Next();
        return Is(second, "STATUS") || Is(second, "PROFILE") || Is(second, "PROFILES");
    }

    /// <summary>A SET naming GLOBAL or PERSIST scope, as a keyword or an <c>@@global.</c> prefix.</summary>
    public static bool SetsGlobalScope(ReadOnlySpan<char> sql)
    {
        var words = new WordReader(sql);
        while (true)
        {
            var word = words.Next();
            if (word.IsEmpty)
                return false;
            if (SetStatementParser.IsGlobalModifier(word))
                return true;
        }
    }

    private static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Words outside quotes and comments, in order.</summary>
    private ref struct WordReader(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _position;

        public ReadOnlySpan<char> Next()
        {
            while (_position < _text.Length)
            {
                var c = _text[_position];
                if (c is '\'' or '"' or '`')
                {
                    _position = StatementClassifier.SkipQuoted(_text, _position);
                    continue;
                }
                if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '*')
                {
                    var end = _text[(_position + 2)..].IndexOf("*/", StringComparison.Ordinal);
                    _position = end < 0 ? _text.Length : _position + 2 + end + 2;
                    continue;
                }
                if (char.IsAsciiLetter(c) || c == '_')
                {
                    var start = _position;
                    while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
                        _position++;
                    return _text[start.._position];
                }
                _position++;
            }
            return default;
        }
    }
}
