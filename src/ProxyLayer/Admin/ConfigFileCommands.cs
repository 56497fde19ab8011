using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// <c>SELECT CONFIG FILE</c> (one row, column <c>Data</c>), <c>SELECT CONFIG INTO OUTFILE f</c> and
/// <c>SAVE CONFIG TO FILE f</c>: the MEMORY layer as config-file text.
/// </summary>
internal sealed class ConfigFileCommands(AdminStore store)
{
    public AdminResult Select() => new AdminResult.Rows(["Data"], [[Render()]]);

    public AdminResult Write(string path)
    {
        try
        {
            File.WriteAllText(path, Render());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AdminResult.Error.Admin($"Unable to write file {path}: {e.Message}");
        }
        return new AdminResult.Ok(0, $"File {path} is saved.");
    }

    private string Render() => ConfigFileWriter.Write(store.ReadConfig(AdminLayer.Memory), store.DataDirectory);
}
