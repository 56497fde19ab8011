using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Hardening;

/// <summary>A directory for one test's files, deleted with it.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("proxylayer-hardening-").FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the directory; returns the file's path.</summary>
    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => RigDirectory.TryDelete(Path);
}
