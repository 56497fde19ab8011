using Microsoft.Playwright;

// proxylayer-dashboard-shot URL OUT.png [--user stats] [--password stats] [--wait-for SELECTOR] [--settle SECONDS]
// Opens the dashboard in headless chromium (/usr/bin/chromium, or $PROXYLAYER_CHROMIUM), logs in with the stats
// credentials, waits until the page is live (and SELECTOR shows, if given), lets the charts fill for --settle seconds,
// and saves a full-page screenshot. Exit 0 on success, 1 with the reason otherwise.

var positional = new List<string>();
var options = new Dictionary<string, string>(StringComparer.Ordinal) { ["--user"] = "stats", ["--password"] = "stats", ["--settle"] = "3" };
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
        options[args[i]] = args[++i];
    else
        positional.Add(args[i]);
}
if (positional.Count != 2)
{
    await Console.Error.WriteLineAsync("usage: proxylayer-dashboard-shot URL OUT.png [--user U] [--password P] [--wait-for SELECTOR] [--settle SECONDS]");
    return 2;
}
var chromium = Environment.GetEnvironmentVariable("PROXYLAYER_CHROMIUM") ?? "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    await Console.Error.WriteLineAsync($"no chromium at {chromium}: run scripts/setup.sh (apt-get install chromium)");
    return 1;
}
try
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        IgnoreHTTPSErrors = true, // the proxy's own self-signed certificate
        HttpCredentials = new HttpCredentials { Username = options["--user"], Password = options["--password"] },
        ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        Locale = "en-GB",
    });
    var page = await context.NewPageAsync();
    var response = await page.GotoAsync(positional[0]);
    if (response?.Status != 200)
    {
        await Console.Error.WriteLineAsync($"{positional[0]} answered {response?.Status}");
        return 1;
    }
    var wait = new PageWaitForSelectorOptions { Timeout = 30_000 };
    await page.WaitForSelectorAsync("#live.on", wait);
    if (options.TryGetValue("--wait-for", out var selector))
        await page.WaitForSelectorAsync(selector, wait);
    await Task.Delay(TimeSpan.FromSeconds(double.Parse(options["--settle"], System.Globalization.CultureInfo.InvariantCulture)));
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = positional[1], FullPage = true });
    Console.WriteLine(positional[1]);
    return 0;
}
catch (PlaywrightException ex)
{
    await Console.Error.WriteLineAsync($"dashboard screenshot failed: {ex.Message}");
    return 1;
}
catch (TimeoutException ex)
{
    await Console.Error.WriteLineAsync($"dashboard screenshot failed: {ex.Message}");
    return 1;
}
