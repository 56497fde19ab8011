namespace ProxyLayer.Admin.Guard;

/// <summary>Whether a path lies inside the data directory, after <c>..</c> and relative parts are resolved.</summary>
internal static class DataDirectoryPath
{
    public static bool Contains(string dataDirectory, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path, root);
        return full.StartsWith(root, StringComparison.Ordinal);
    }
}
