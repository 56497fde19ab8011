namespace ProxyLayer.Config;

/// <summary>
/// A config file that cannot be used: a syntax error, a missing required key or a value of the wrong type. The message
/// starts with <c>file:line:column:</c> (or <c>file:line:</c>) so editors and people can jump to the spot.
/// </summary>
public sealed class ConfigFileException : Exception
{
    public ConfigFileException()
    {
        FilePath = "";
    }

    public ConfigFileException(string message)
        : base(message)
    {
        FilePath = "";
    }

    public ConfigFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = "";
    }

    public ConfigFileException(string filePath, int line, int column, string problem, Exception? innerException = null)
        : base(FormatLocation(filePath, line, column) + problem, innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
    }

    public string FilePath { get; }

    /// <summary>1-based; 0 when the problem is not tied to a line (e.g. an unreadable file).</summary>
    public int Line { get; }

    /// <summary>1-based; 0 for problems found after parsing, where only the line is known.</summary>
    public int Column { get; }

    private static string FormatLocation(string filePath, int line, int column) => (line, column) switch
    {
        (0, _) => $"{filePath}: ",
        (_, 0) => $"{filePath}:{line}: ",
        _ => $"{filePath}:{line}:{column}: ",
    };
}
