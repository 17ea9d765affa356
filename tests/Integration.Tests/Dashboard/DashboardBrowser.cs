using Microsoft.Playwright;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>
/// Headless Chromium from Debian's package (scripts/deps.sh browser installs it; BOLLARD_CHROMIUM overrides its path),
/// driven by Playwright through the executable's path: no browser download. Screenshots go to artifacts/ui/.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IPage page) => (_playwright, _browser, Page) = (playwright, browser, page);

    public IPage Page { get; }

    public static string Screenshots { get; } = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "ui");

    public static async Task<DashboardBrowser> LaunchAsync(int width = 1280, int height = 900)
    {
        var executable = Environment.GetEnvironmentVariable("BOLLARD_CHROMIUM") is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"no Chromium at {executable}: run `scripts/deps.sh browser` (apt-get install chromium), or set BOLLARD_CHROMIUM");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(30_000);
        return new DashboardBrowser(playwright, browser, page);
    }

    /// <summary>Saves a PNG of the page as it is now under artifacts/ui/.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Screenshots);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });
    }

    /// <summary>Polls a JavaScript condition on the page until it is true, within the deadline.</summary>
    public Task UntilAsync(string condition, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(async () => await Page.EvaluateAsync<bool>(condition), what, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Signs in with the keyboard only: focus the token field, type, Enter.</summary>
    public async Task SignInAsync(string token)
    {
        await Page.FocusAsync("#token");
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync(token);
        await Page.Keyboard.PressAsync("Enter");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
