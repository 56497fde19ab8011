namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The outcome of a finished subprocess.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}
