using ProxyLayer.Admin.Guard;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// <c>SELECT CONFIG FILE</c> (one row, column <c>Data</c>), <c>SELECT CONFIG INTO OUTFILE f</c> and
/// <c>SAVE CONFIG TO FILE f</c>: the MEMORY layer as config-file text.
/// </summary>
internal sealed class ConfigFileCommands(AdminStore store)
{
    public AdminResult Select() => new AdminResult.Rows(["Data"], [[Render()]]);

    /// <summary>
    /// Writes the file inside the data directory only (a relative path is taken from there): the proxy often runs as
    /// root, and the text holds admin-chosen strings, so any other path would let an admin place a file anywhere.
    /// A store without a data directory (tests, tools) writes where it is told.
    /// </summary>
    public AdminResult Write(string path)
    {
        var target = path;
        if (store.DataDirectory is { } directory)
        {
            target = Path.GetFullPath(path, Path.GetFullPath(directory));
            if (!DataDirectoryPath.Contains(directory, target))
                return AdminRefusal.Error($"writing the config file to {path}, outside the data directory {directory},");
        }
        try
        {
            File.WriteAllText(target, Render());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AdminResult.Error.Admin($"Unable to write file {path}: {e.Message}");
        }
        return new AdminResult.Ok(0, $"File {path} is saved.");
    }

    private string Render() => ConfigFileWriter.Write(store.ReadConfig(AdminLayer.Memory), store.DataDirectory);
}
