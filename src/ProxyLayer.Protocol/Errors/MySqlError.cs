namespace ProxyLayer.Protocol;

/// <summary>An error as sent in an ERR packet: code, SQLSTATE and message.</summary>
public sealed record MySqlError(int Code, string SqlState, string Message);
