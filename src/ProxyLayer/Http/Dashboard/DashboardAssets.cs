using System.Reflection;

namespace ProxyLayer.Http.Dashboard;

/// <summary>
/// The page's static files, embedded in the binary (<c>Http/Dashboard/wwwroot/</c>): nothing is read from disk or
/// fetched from the internet at run time.
/// </summary>
internal sealed class DashboardAssets
{
    private readonly Dictionary<string, (byte[] Content, string ContentType)> _files = new(StringComparer.Ordinal);

    private DashboardAssets()
    {
    }

    public static DashboardAssets Load()
    {
        var assets = new DashboardAssets();
        assets.Add("/", "index.html", "text/html; charset=utf-8");
        assets.Add("/dashboard.css", "dashboard.css", "text/css; charset=utf-8");
        assets.Add("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8");
        assets._files["/index.html"] = assets._files["/"];
        return assets;
    }

    public bool TryGet(string path, out byte[] content, out string contentType)
    {
        var found = _files.TryGetValue(path, out var file);
        (content, contentType) = found ? file : ([], "");
        return found;
    }

    private void Add(string path, string resource, string contentType)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Dashboard." + resource)
            ?? throw new InvalidOperationException($"the dashboard's {resource} is missing from the binary");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        _files[path] = (memory.ToArray(), contentType);
    }
}
