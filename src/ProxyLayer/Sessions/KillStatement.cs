using System.Globalization;

namespace ProxyLayer.Sessions;

/// <summary>
/// <c>KILL [HARD | SOFT] [CONNECTION | QUERY] id</c> naming a thread by number: the id is one the proxy handed out
/// (its greeting, <c>CONNECTION_ID()</c>), so the proxy carries it out on whatever backend connection serves that
/// session now. Other forms (<c>KILL QUERY ID</c> for a query id, <c>KILL USER</c>, expressions) are left to a server.
/// </summary>
internal readonly record struct KillStatement(bool QueryOnly, uint ThreadId)
{
    public static bool TryParse(ReadOnlySpan<char> sql, out KillStatement kill)
    {
        kill = default;
        var rest = sql.Trim();
        if (rest.Length > 0 && rest[^1] == ';')
            rest = rest[..^1].TrimEnd();
        if (!TakeWord(ref rest, "KILL"))
            return false;
        if (!TakeWord(ref rest, "HARD"))
            TakeWord(ref rest, "SOFT");
        var queryOnly = TakeWord(ref rest, "QUERY");
        if (!queryOnly)
            TakeWord(ref rest, "CONNECTION");
        if (rest.IsEmpty || !uint.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        kill = new KillStatement(queryOnly, id);
        return true;
    }

    /// <summary>Consumes <paramref name="word"/> and the blanks after it if <paramref name="text"/> starts with it as a whole word.</summary>
    private static bool TakeWord(ref ReadOnlySpan<char> text, string word)
    {
        if (text.Length < word.Length || !text[..word.Length].Equals(word, StringComparison.OrdinalIgnoreCase))
            return false;
        if (text.Length > word.Length && !char.IsWhiteSpace(text[word.Length]))
            return false;
        text = text[word.Length..].TrimStart();
        return true;
    }
}
