namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The last lines of a log file, for error messages.</summary>
internal static class LogTail
{
    public static string Read(string path, int lineCount = 30)
    {
        if (!File.Exists(path))
            return $"({path} does not exist)";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new Queue<string>(lineCount);
        while (reader.ReadLine() is { } line)
        {
            if (lines.Count == lineCount)
                lines.Dequeue();
            lines.Enqueue(line);
        }

        return $"--- last {lines.Count} lines of {path} ---{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
