namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>A rig server did not come up; the message carries the tail of its error log.</summary>
public sealed class MariaDbStartException : Exception
{
    public MariaDbStartException()
    {
    }

    public MariaDbStartException(string message)
        : base(message)
    {
    }

    public MariaDbStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
