using System.Globalization;

namespace ProxyLayer.EventsLog;

/// <summary>
/// The events log's current file, named as ProxySQL names them: <c>base.00000001</c>, <c>base.00000002</c>, …; a
/// relative base name lives in the data directory. Each file opened (at start, on a new base name, on rotation) takes
/// the number after the highest one already in the directory, so a restart never overwrites an earlier file.
/// </summary>
internal sealed class EventsLogFile : IDisposable
{
    private const int IdDigits = 8;
    private readonly string _datadir;
    private string _baseName = "";
    private FileStream? _stream;

    public EventsLogFile(string datadir) => _datadir = datadir;

    /// <summary>The open file; null while the log is off or the file could not be opened.</summary>
    public Stream? Stream => _stream;

    public string? CurrentPath => _stream?.Name;

    public long Length => _stream?.Length ?? 0;

    /// <summary>
    /// Follows <c>mysql-eventslog_filename</c>: a new base name closes the current file and opens the next one of
    /// the new name; an empty one turns the log off. Returns the I/O error, if opening failed.
    /// </summary>
    public Exception? Configure(string baseName)
    {
        if (string.Equals(baseName, _baseName, StringComparison.Ordinal))
            return null;
        Close();
        _baseName = baseName;
        return baseName.Length == 0 ? null : OpenNext();
    }

    /// <summary>Closes the current file and continues in the next one (size limit reached, or PROXYSQL FLUSH LOGS).</summary>
    public Exception? Rotate()
    {
        if (_baseName.Length == 0)
            return null;
        Close();
        return OpenNext();
    }

    public void Flush() => _stream?.Flush();

    public void Dispose() => Close();

    /// <summary>The number after the highest <c>name.NNNNNNNN</c> in <paramref name="directory"/> (1 when there is none).</summary>
    internal static int NextId(string directory, string fileName)
    {
        var highest = 0;
        if (!Directory.Exists(directory))
            return 1;
        foreach (var path in Directory.EnumerateFiles(directory, fileName + ".*"))
        {
            var name = Path.GetFileName(path.AsSpan());
            if (name.Length != fileName.Length + 1 + IdDigits)
                continue;
            if (int.TryParse(name[(fileName.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                highest = Math.Max(highest, id);
        }
        return highest + 1;
    }

    /// <summary>Where files of <paramref name="baseName"/> go: as given if absolute, else under the data directory.</summary>
    internal string BasePath(string baseName) => Path.IsPathRooted(baseName) ? baseName : Path.Combine(_datadir, baseName);

    private Exception? OpenNext()
    {
        var basePath = BasePath(_baseName);
        var directory = Path.GetDirectoryName(basePath) ?? _datadir;
        var fileName = Path.GetFileName(basePath);
        var path = string.Create(CultureInfo.InvariantCulture, $"{basePath}.{NextId(directory, fileName):D8}");
        try
        {
            _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _stream = null;
            return ex;
        }
    }

    private void Close()
    {
        var stream = _stream;
        _stream = null;
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // The last buffered events could not be written (disk full): nothing more can be done for them.
        }
    }
}
