using Microsoft.Playwright;

namespace ProxyLayer.IntegrationTests.Dashboard;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, installed by <c>scripts/setup.sh</c>) driven by Playwright, headless,
/// accepting the proxy's self-signed certificate. Never a browser Playwright downloads: a missing chromium fails the
/// test with the command that installs it, it does not skip it.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("PROXYLAYER_CHROMIUM") ?? ChromiumPath;
        Assert.True(File.Exists(path), $"the dashboard tests need Debian's chromium at {path}: run scripts/setup.sh (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                // root in a container has no user namespace for chromium's sandbox; /dev/shm may be small
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                Timeout = 60_000,
            });
            return new DashboardBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh browser profile logged in as <paramref name="user"/> (HTTP auth answered by the browser itself).</summary>
    public async Task<IPage> OpenAsync(string user, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            HttpCredentials = new HttpCredentials { Username = user, Password = password },
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            Locale = "en-GB",
        });
        return await context.NewPageAsync();
    }

    /// <summary>Where screenshots go: <c>$PROXYLAYER_SCREENSHOTS</c>, else <c>artifacts/dashboard/</c> at the repository root.</summary>
    public static string ScreenshotDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("PROXYLAYER_SCREENSHOTS");
        if (string.IsNullOrEmpty(directory))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProxyLayer.slnx")))
                root = root.Parent;
            directory = Path.Combine(root?.FullName ?? Path.GetTempPath(), "artifacts", "dashboard");
        }
        Directory.CreateDirectory(directory);
        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
