using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The test's output, also kept, so a test can search what the proxy logged (e.g. that no password appears).</summary>
internal sealed class RecordingOutput(ITestOutputHelper inner) : ITestOutputHelper
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join(Environment.NewLine, _lines);

    public void WriteLine(string message)
    {
        _lines.Enqueue(message);
        inner.WriteLine(message);
    }

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}
