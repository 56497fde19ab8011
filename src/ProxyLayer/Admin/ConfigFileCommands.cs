using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary><c>SELECT CONFIG FILE</c>, <c>SELECT CONFIG INTO OUTFILE f</c> and <c>SAVE CONFIG TO FILE f</c>: the MEMORY layer as config-file text.</summary>
internal sealed class ConfigFileCommands(AdminStore store, Func<ProxyConfig, string>? render)
{
    public AdminResult Select() =>
        Render() is { } text ? new AdminResult.Rows(["Data"], [[text]]) : NotAvailable();

    public AdminResult Write(string path)
    {
        if (Render() is not { } text)
            return NotAvailable();
        File.WriteAllText(path, text);
        return new AdminResult.Ok(0, $"File {path} is saved.");
    }

    private string? Render() => render?.Invoke(store.ReadConfig(AdminLayer.Memory));

    private static AdminResult.Error NotAvailable() =>
        AdminResult.Error.Admin("writing the config file is not available: no config file writer is wired in");
}
