namespace ProxyLayer.Config;

internal enum LibconfigTokenKind
{
    EndOfFile,
    Name,
    String,
    Integer,
    Integer64,
    Float,
    Include,
    /// <summary>One of <c>= : ; , { } ( ) [ ]</c>; the character is in <see cref="LibconfigToken.Text"/>.</summary>
    Punctuation,
}

/// <summary>
/// One token. <see cref="Text"/> is the source text except for strings, where it is the decoded value (escapes applied).
/// </summary>
internal readonly record struct LibconfigToken(LibconfigTokenKind Kind, string Text, long Integer, double Float, int Line, int Column)
{
    public bool IsPunctuation(char c) => Kind == LibconfigTokenKind.Punctuation && Text[0] == c;

    /// <summary>How the token reads in "found …" of an error message.</summary>
    public string Describe() => Kind switch
    {
        LibconfigTokenKind.EndOfFile => "end of file",
        LibconfigTokenKind.Name => $"name '{Text}'",
        LibconfigTokenKind.String => $"string \"{Text}\"",
        LibconfigTokenKind.Include => "@include",
        LibconfigTokenKind.Punctuation => $"'{Text}'",
        _ => $"number {Text}",
    };
}
