using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.Protocol.Auth;

// SHA1 is what the mysql_native_password protocol is defined with; it is not our choice of hash.
#pragma warning disable CA5350

/// <summary>
/// mysql_native_password: the client proves knowledge of SHA1(password) with
/// SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). The server stores SHA1(SHA1(password)), shown as
/// <c>*</c> + 40 hex digits. See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html.
/// </summary>
public static class MysqlNativePassword
{
    public const int ScrambleLength = 20;

    /// <summary>The client's answer for a clear-text password.</summary>
    public static byte[] Scramble(string password, ReadOnlySpan<byte> nonce) =>
        password.Length == 0 ? [] : ScrambleWithStage1(SHA1.HashData(Encoding.UTF8.GetBytes(password)), nonce);

    /// <summary>The client's answer given SHA1(password) only, which is what a proxy learns from a hashed user.</summary>
    public static byte[] ScrambleWithStage1(ReadOnlySpan<byte> stage1, ReadOnlySpan<byte> nonce)
    {
        // The nonce can come from a backend's auth switch request, so a short one is the peer's fault.
        if (nonce.Length < ScrambleLength)
            throw ProtocolException.Malformed($"mysql_native_password scramble of {nonce.Length} bytes, expected {ScrambleLength}");
        Span<byte> stage2 = stackalloc byte[20];
        SHA1.HashData(stage1, stage2);
        Span<byte> input = stackalloc byte[ScrambleLength + 20];
        nonce[..ScrambleLength].CopyTo(input);
        stage2.CopyTo(input[ScrambleLength..]);
        var result = SHA1.HashData(input);
        for (var i = 0; i < result.Length; i++)
            result[i] ^= stage1[i];
        return result;
    }

    /// <summary>
    /// Checks a client's answer against a stored password (clear text or <c>*HEX</c> hash). On success returns
    /// SHA1(password), which lets the proxy log in to backends as this user; on failure null.
    /// </summary>
    public static byte[]? Verify(ReadOnlySpan<byte> response, ReadOnlySpan<byte> nonce, string? storedPassword)
    {
        if (string.IsNullOrEmpty(storedPassword))
            return response.IsEmpty ? [] : null;
        if (response.Length != 20)
            return null;
        Span<byte> stage2 = stackalloc byte[20];
        if (!TryParseHash(storedPassword, stage2))
            SHA1.HashData(SHA1.HashData(Encoding.UTF8.GetBytes(storedPassword)), stage2);

        Span<byte> input = stackalloc byte[ScrambleLength + 20];
        nonce[..ScrambleLength].CopyTo(input);
        stage2.CopyTo(input[ScrambleLength..]);
        var candidate = SHA1.HashData(input);
        for (var i = 0; i < candidate.Length; i++)
            candidate[i] ^= response[i];
        Span<byte> check = stackalloc byte[20];
        SHA1.HashData(candidate, check);
        return CryptographicOperations.FixedTimeEquals(check, stage2) ? candidate : null;
    }

    /// <summary>The stored form of a password: <c>*</c> + uppercase hex of SHA1(SHA1(password)).</summary>
    public static string HashPassword(string password) =>
        "*" + Convert.ToHexString(SHA1.HashData(SHA1.HashData(Encoding.UTF8.GetBytes(password))));

    public static bool IsHashed(string? password) => password is { Length: 41 } && password[0] == '*' && IsHex(password.AsSpan(1));

    private static bool TryParseHash(string storedPassword, Span<byte> stage2) =>
        IsHashed(storedPassword) && Convert.FromHexString(storedPassword.AsSpan(1), stage2, out _, out var written) == System.Buffers.OperationStatus.Done && written == 20;

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}
