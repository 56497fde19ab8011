using System.Buffers;
using System.Globalization;
using System.Text;

namespace ProxyLayer.Routing;

/// <summary>
/// ProxySQL-style query digests (spec §8.1): the query with comments, literals and layout normalised away, and its
/// SpookyHash. Stage 1 (tokens, comments, literals) is the scanner here; stages 2 and 3 happen in
/// <see cref="DigestWriter"/> as tokens arrive.
/// </summary>
public static class QueryDigest
{
    private const int StackallocChars = 512;

    /// <summary>The digest text and hash of <paramref name="query"/>; allocates only the text.</summary>
    public static QueryDigestResult Compute(ReadOnlySpan<char> query, QueryDigestOptions? options = null)
    {
        var text = ComputeText(query, options);
        return new QueryDigestResult(text, ComputeHash(text));
    }

    public static string ComputeText(ReadOnlySpan<char> query, QueryDigestOptions? options = null) =>
        WithText(query, options ?? QueryDigestOptions.Default, 0, static (text, _) => new string(text));

    /// <summary>Receives a digest text that lives in a stack or pooled buffer only for the call.</summary>
    public delegate TResult DigestTextFunc<TState, TResult>(ReadOnlySpan<char> text, TState state);

    /// <summary>
    /// Normalises <paramref name="query"/> into a stack or pooled buffer and passes the text to <paramref name="use"/>:
    /// with a static lambda, no allocation, so a caller can hash it and make a string only when it needs one.
    /// </summary>
    public static TResult WithText<TState, TResult>(ReadOnlySpan<char> query, QueryDigestOptions options, TState state,
        DigestTextFunc<TState, TResult> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        var needed = GetBufferLength(Math.Min(query.Length, options.MaxQueryLength));
        char[]? rented = null;
        var buffer = needed <= StackallocChars
            ? stackalloc char[StackallocChars]
            : (rented = ArrayPool<char>.Shared.Rent(needed));
        try
        {
            var length = Normalize(query, buffer, options);
            return use(buffer[..length], state);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The buffer <see cref="Normalize"/> needs for a query of this many characters. Grouping can write
    /// <c>?,?,?,...</c> (9 chars) for <c>1,2,3,4</c> (7 chars), so the digest may be longer than the query.
    /// </summary>
    public static int GetBufferLength(int queryLength) => (queryLength * 2) + 16;

    /// <summary>
    /// Writes the digest text of <paramref name="query"/> into <paramref name="destination"/> and returns its length;
    /// allocates nothing. <paramref name="destination"/> must hold <see cref="GetBufferLength"/> of the examined length.
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> query, Span<char> destination, QueryDigestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (query.Length > options.MaxQueryLength)
        {
            query = query[..options.MaxQueryLength];
        }

        if (destination.Length < GetBufferLength(query.Length))
        {
            throw new ArgumentException("The destination is shorter than GetBufferLength(query length).", nameof(destination));
        }

        var writer = new DigestWriter(destination, options);
        Scan(query, ref writer, options);
        var length = Math.Min(writer.Finish(), options.MaxDigestLength);
        if (options.Lowercase)
        {
            ToLowerInPlace(destination[..length]);
        }

        return length;
    }

    /// <summary>SpookyHash V2 Hash64, seed 0, of the digest text's UTF-8 bytes (ProxySQL's <c>digest</c> column).</summary>
    public static ulong ComputeHash(ReadOnlySpan<char> digestText)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(digestText.Length);
        byte[]? rented = null;
        var bytes = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = Encoding.UTF8.GetBytes(digestText, bytes);
            return SpookyHash.Hash64(bytes[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>ProxySQL's display form, <c>0x%016X</c>.</summary>
    public static string FormatHash(ulong hash) => "0x" + hash.ToString("X16", CultureInfo.InvariantCulture);

    /// <summary>Parses the <c>digest</c> column: 1 to 16 hex digits, with or without <c>0x</c>.</summary>
    public static bool TryParseHash(ReadOnlySpan<char> text, out ulong hash)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        hash = 0;
        return text.Length is > 0 and <= 16 &&
               ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }

    private static void Scan(ReadOnlySpan<char> q, ref DigestWriter writer, QueryDigestOptions options)
    {
        var i = 0;
        while (i < q.Length)
        {
            var c = q[i];
            var next = i + 1 < q.Length ? q[i + 1] : '\0';

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                writer.Space();
                i++;
            }
            else if (c == '/' && next == '*')
            {
                var end = q[(i + 2)..].IndexOf("*/");
                var stop = end < 0 ? q.Length : i + 2 + end + 2;
                var executable = i + 2 < q.Length && q[i + 2] == '!';
                if (executable || options.KeepComment)
                {
                    writer.Verbatim(q[i..stop]);
                }
                else
                {
                    writer.Space();
                }

                i = stop;
            }
            else if (c == '#' || (c == '-' && next == '-' && StartsDashComment(q, i)))
            {
                var end = q[i..].IndexOfAny('\n', '\r');
                i = end < 0 ? q.Length : i + end;
                writer.Space();
            }
            else if (c is '\'' or '"')
            {
                i = SkipQuoted(q, i);
                writer.Literal();
            }
            else if (c == '`')
            {
                var stop = SkipQuoted(q, i);
                writer.Verbatim(q[i..stop]);
                i = stop;
            }
            else if (c is 'x' or 'X' or 'b' or 'B' or 'n' or 'N' && next == '\'' && !PrecededByIdentifier(q, i))
            {
                // x'AB', b'0101', N'text'
                i = SkipQuoted(q, i + 1);
                writer.Literal();
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next) && !PrecededByIdentifier(q, i)))
            {
                var stop = ScanNumber(q, i);
                if (stop < q.Length && IsIdentifierChar(q[stop]) && char.IsAsciiDigit(c))
                {
                    // MySQL allows identifiers that start with digits ("1st_col"), not with a dot: ".5a" is 0.5 and a
                    // word (an identifier scan from the dot would not move, and the scanner would spin for ever).
                    stop = ScanIdentifier(q, i);
                    writer.Word(q[i..stop], allowsUnarySign: false);
                }
                else
                {
                    writer.Literal();
                }

                i = stop;
            }
            else if (IsIdentifierChar(c) || c == '@')
            {
                var stop = ScanIdentifier(q, i);
                var word = q[i..stop];
                if (options.ReplaceNull && word.Equals("NULL", StringComparison.OrdinalIgnoreCase))
                {
                    writer.Literal();
                }
                else
                {
                    writer.Word(word, DigestKeywords.AllowsUnarySignAfter(word));
                }

                i = stop;
            }
            else if (c == '?')
            {
                writer.Literal();
                i++;
            }
            else if (IsOperatorChar(c))
            {
                var length = OperatorLength(q[i..]);
                writer.Operator(q.Slice(i, length));
                i += length;
            }
            else
            {
                writer.Punctuation(c);
                i++;
            }
        }
    }

    // "--" starts a comment only when followed by whitespace, a control character or the end ("1--1" is arithmetic).
    private static bool StartsDashComment(ReadOnlySpan<char> q, int i) =>
        i + 2 >= q.Length || char.IsWhiteSpace(q[i + 2]) || char.IsControl(q[i + 2]);

    private static bool PrecededByIdentifier(ReadOnlySpan<char> q, int i) =>
        i > 0 && (IsIdentifierChar(q[i - 1]) || q[i - 1] == '`');

    /// <summary>Index after the closing quote; backslash escapes and doubled quotes stay inside.</summary>
    private static int SkipQuoted(ReadOnlySpan<char> q, int start)
    {
        var quote = q[start];
        var i = start + 1;
        while (i < q.Length)
        {
            var c = q[i];
            if (c == '\\' && quote != '`')
            {
                i += 2;
            }
            else if (c == quote)
            {
                if (i + 1 < q.Length && q[i + 1] == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return q.Length;
    }

    /// <summary>Integers, decimals, exponents (<c>1e10</c>, <c>1.5E-3</c>), hex (<c>0x1F</c>) and bits (<c>0b101</c>).</summary>
    private static int ScanNumber(ReadOnlySpan<char> q, int start)
    {
        var i = start;
        if (q[i] == '0' && i + 2 < q.Length)
        {
            if (q[i + 1] is 'x' or 'X' && char.IsAsciiHexDigit(q[i + 2]))
            {
                return SkipWhile(q, i + 2, char.IsAsciiHexDigit);
            }

            if (q[i + 1] is 'b' or 'B' && q[i + 2] is '0' or '1')
            {
                return SkipWhile(q, i + 2, static ch => ch is '0' or '1');
            }
        }

        i = SkipWhile(q, i, char.IsAsciiDigit);
        if (i < q.Length && q[i] == '.')
        {
            i = SkipWhile(q, i + 1, char.IsAsciiDigit);
        }

        if (i < q.Length && q[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < q.Length && q[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < q.Length && char.IsAsciiDigit(q[exponent]))
            {
                i = SkipWhile(q, exponent, char.IsAsciiDigit);
            }
        }

        return i;
    }

    private static int ScanIdentifier(ReadOnlySpan<char> q, int start)
    {
        var i = start;
        while (i < q.Length && q[i] == '@')
        {
            i++;
        }

        // '.' stays inside @@session.var but not inside db.table, where it is punctuation.
        var allowDot = i > start;
        while (i < q.Length && (IsIdentifierChar(q[i]) || (allowDot && q[i] == '.')))
        {
            i++;
        }

        return i;
    }

    private static int SkipWhile(ReadOnlySpan<char> q, int i, Func<char, bool> predicate)
    {
        while (i < q.Length && predicate(q[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || c >= 0x80;

    private static bool IsOperatorChar(char c) => c is '=' or '<' or '>' or '!' or '+' or '-' or '*' or '/' or '%' or
        '&' or '|' or '^' or '~' or ':';

    private static int OperatorLength(ReadOnlySpan<char> s)
    {
        if (s.StartsWith("<=>") || s.StartsWith("->>"))
        {
            return 3;
        }

        if (s.Length >= 2 && s[..2] is "<=" or ">=" or "<>" or "!=" or ":=" or "||" or "&&" or "<<" or ">>" or "->")
        {
            return 2;
        }

        return 1;
    }

    private static void ToLowerInPlace(Span<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToLowerInvariant(text[i]);
        }
    }
}
