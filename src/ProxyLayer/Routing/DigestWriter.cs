namespace ProxyLayer.Routing;

/// <summary>
/// Receives the tokens of stage 1 (comments gone, literals already reduced to <see cref="Literal"/>) and applies
/// stages 2 and 3 as they arrive, so a query is walked once: spaces are dropped next to <c>( ) ,</c> and around an
/// operator touching a <c>?</c>, a unary sign before a <c>?</c> is dropped, long <c>?,?,…</c> runs and long runs of
/// <c>(?,…)</c> groups are cut. Some rules only become decidable at the literal, so the writer retracts what it
/// wrote for the previous one or two tokens; it remembers just enough of them to do that.
/// </summary>
internal ref struct DigestWriter
{
    private readonly Span<char> _buffer;
    private readonly int _groupingLimit;
    private readonly int _groupsGroupingLimit;
    private readonly bool _noDigits;
    private int _length;
    private bool _pendingSpace;
    private Token _prev;
    private Token _beforePrev;

    // Stage 3, values: how many '?' in the current comma-separated run.
    private int _literalRun;

    // Stage 3, groups: the innermost '(' whose contents are so far only '?' and commas (-1 if none is open).
    private int _groupOpen;
    private bool _groupHasLiteral;
    private bool _groupContinuesRun;
    private int _groupRun;
    private int _lastLiteralGroupEnd;

    public DigestWriter(Span<char> buffer, QueryDigestOptions options)
    {
        _buffer = buffer;
        _groupingLimit = options.GroupingLimit;
        _groupsGroupingLimit = options.GroupsGroupingLimit;
        _noDigits = options.NoDigits;
        _groupOpen = -1;
        _lastLiteralGroupEnd = -1;
    }

    private struct Token
    {
        public DigestTokenKind Kind;
        public int Start;
        public bool SpaceBefore;

        // Whether a following '+'/'-' is a sign rather than a binary operator ("SELECT -1", "(-1", ", -1", "= -1").
        public bool AllowsUnarySign;
    }

    /// <summary>Whitespace or a dropped comment: at most one space, and none at the start.</summary>
    public void Space()
    {
        if (_length > 0)
        {
            _pendingSpace = true;
        }
    }

    public void Word(ReadOnlySpan<char> text, bool allowsUnarySign) =>
        Emit(DigestTokenKind.Word, text, allowsUnarySign, _noDigits);

    /// <summary>Backtick identifiers and kept comments: copied unchanged.</summary>
    public void Verbatim(ReadOnlySpan<char> text) => Emit(DigestTokenKind.Word, text, allowsUnarySign: false, noDigits: false);

    public void Operator(ReadOnlySpan<char> text) => Emit(DigestTokenKind.Operator, text, allowsUnarySign: true, noDigits: false);

    public void Punctuation(char c)
    {
        switch (c)
        {
            case '(':
                OpenParen();
                break;
            case ')':
                CloseParen();
                break;
            case ',':
                Emit(DigestTokenKind.Comma, ",", allowsUnarySign: true, noDigits: false);
                break;
            default:
                Emit(DigestTokenKind.Other, new ReadOnlySpan<char>(in c), allowsUnarySign: false, noDigits: false);
                break;
        }
    }

    public void Literal()
    {
        DropUnarySign();
        DropSpacesAroundOperator();

        _literalRun = _prev.Kind == DigestTokenKind.Comma && _literalRun > 0 ? _literalRun + 1 : 1;
        _lastLiteralGroupEnd = -1;
        if (_groupOpen >= 0)
        {
            _groupHasLiteral = true;
        }

        // ProxySQL keeps limit + 1 values ("(?,?,?,?)" for 'v',2,3,'f' in spec §8.1) and only cuts from the next one
        // on, turning the last kept '?' into "...": 1,2,3,4,5 becomes "?,?,?,...".
        if (_groupingLimit > 0 && _literalRun > _groupingLimit + 1)
        {
            if (_literalRun == _groupingLimit + 2)
            {
                _length = _beforePrev.Start;
                Append("...");
            }
            else
            {
                _length = _prev.Start;
            }

            // Either way the comma is taken back and the previous literal becomes the last token again.
            _pendingSpace = false;
            _prev = _beforePrev;
            _beforePrev = default;
            return;
        }

        var spaceBefore = WriteSpaceBefore(DigestTokenKind.Literal);
        Push(DigestTokenKind.Literal, _length, spaceBefore, allowsUnarySign: false);
        Append('?');
    }

    /// <summary>Trailing spaces and semicolons go; returns the digest length in the buffer.</summary>
    public readonly int Finish()
    {
        var length = _length;
        while (length > 0 && _buffer[length - 1] is ' ' or ';')
        {
            length--;
        }

        return length;
    }

    private void DropUnarySign()
    {
        if (_prev.Kind != DigestTokenKind.Operator || _length - _prev.Start != 1 ||
            _buffer[_prev.Start] is not ('+' or '-') || !_beforePrev.AllowsUnarySign)
        {
            return;
        }

        _length = _prev.Start - (_prev.SpaceBefore ? 1 : 0);
        _pendingSpace |= _prev.SpaceBefore;
        _prev = _beforePrev;
        _beforePrev = default;
    }

    private void DropSpacesAroundOperator()
    {
        if (_prev.Kind != DigestTokenKind.Operator)
        {
            return;
        }

        if (_prev.SpaceBefore)
        {
            var operatorLength = _length - _prev.Start;
            _buffer.Slice(_prev.Start, operatorLength).CopyTo(_buffer[(_prev.Start - 1)..]);
            _length--;
            _prev.Start--;
            _prev.SpaceBefore = false;
        }

        _pendingSpace = false;
    }

    private void OpenParen()
    {
        var continuesRun = _prev.Kind == DigestTokenKind.Comma && _prev.Start == _lastLiteralGroupEnd;
        _literalRun = 0;
        _lastLiteralGroupEnd = -1;
        var spaceBefore = WriteSpaceBefore(DigestTokenKind.OpenParen);
        _groupOpen = _length;
        _groupHasLiteral = false;
        _groupContinuesRun = continuesRun;
        Push(DigestTokenKind.OpenParen, _length, spaceBefore, allowsUnarySign: true);
        Append('(');
    }

    private void CloseParen()
    {
        var open = _groupOpen;
        var literalGroup = open >= 0 && _groupHasLiteral;
        _groupOpen = -1;
        _literalRun = 0;
        _lastLiteralGroupEnd = -1;
        WriteSpaceBefore(DigestTokenKind.CloseParen);

        var start = _length;
        if (!literalGroup)
        {
            Push(DigestTokenKind.CloseParen, start, spaceBefore: false, allowsUnarySign: false);
            Append(')');
            return;
        }

        _groupRun = _groupContinuesRun ? _groupRun + 1 : 1;
        if (_groupsGroupingLimit <= 0 || _groupRun <= _groupsGroupingLimit)
        {
            Append(')');
        }
        else if (_groupRun == _groupsGroupingLimit + 1)
        {
            // "(?,?)" becomes "..." after the comma that preceded it.
            _length = open;
            Append("...");
        }
        else
        {
            // Already cut: take back ",(?,?)".
            _length = open - 1;
        }

        Push(DigestTokenKind.CloseParen, start, spaceBefore: false, allowsUnarySign: false);
        _lastLiteralGroupEnd = _length;
    }

    private void Emit(DigestTokenKind kind, scoped ReadOnlySpan<char> text, bool allowsUnarySign, bool noDigits)
    {
        if (kind != DigestTokenKind.Comma)
        {
            // Anything but ',' ends a run of values, makes the open group more than literals, and ends a group run.
            _literalRun = 0;
            _groupOpen = -1;
            _lastLiteralGroupEnd = -1;
        }

        var spaceBefore = WriteSpaceBefore(kind);
        Push(kind, _length, spaceBefore, allowsUnarySign);
        if (noDigits)
        {
            AppendWithoutDigits(text);
        }
        else
        {
            Append(text);
        }
    }

    private bool WriteSpaceBefore(DigestTokenKind next)
    {
        if (!_pendingSpace)
        {
            return false;
        }

        _pendingSpace = false;
        if (_prev.Kind is DigestTokenKind.OpenParen or DigestTokenKind.Comma ||
            next is DigestTokenKind.CloseParen or DigestTokenKind.Comma ||
            (next == DigestTokenKind.Operator && _prev.Kind == DigestTokenKind.Literal))
        {
            return false;
        }

        Append(' ');
        return true;
    }

    private void Push(DigestTokenKind kind, int start, bool spaceBefore, bool allowsUnarySign)
    {
        _beforePrev = _prev;
        _prev = new Token { Kind = kind, Start = start, SpaceBefore = spaceBefore, AllowsUnarySign = allowsUnarySign };
    }

    // The caller sizes the buffer for the worst case (QueryDigest.GetBufferLength); the checks only keep a
    // miscalculation from turning into an exception on the query path.
    private void Append(char c)
    {
        if (_length < _buffer.Length)
        {
            _buffer[_length++] = c;
        }
    }

    private void Append(scoped ReadOnlySpan<char> text)
    {
        var count = Math.Min(text.Length, _buffer.Length - _length);
        text[..count].CopyTo(_buffer[_length..]);
        _length += count;
    }

    private void AppendWithoutDigits(scoped ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                Append(text[i]);
            }
            else if (i == 0 || !char.IsAsciiDigit(text[i - 1]))
            {
                Append('?');
            }
        }
    }
}
