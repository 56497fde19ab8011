namespace ProxyLayer.Admin;

/// <summary>A row of an admin table that cannot become a config record; the message names the row and the column.</summary>
internal sealed class AdminRowException : Exception
{
    public AdminRowException(string message)
        : base(message)
    {
    }

    public AdminRowException()
    {
    }

    public AdminRowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
