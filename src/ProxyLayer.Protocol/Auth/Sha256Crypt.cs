using System.Security.Cryptography;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// The SHA-256 based crypt(3) of Ulrich Drepper (https://www.akkadia.org/drepper/SHA-crypt.txt), which MySQL's
/// caching_sha2_password stores (<see cref="CachingSha2Hash"/>). MySQL passes a 20-byte salt where crypt(3) stops at
/// 16, so no salt length limit is applied here.
/// </summary>
public static class Sha256Crypt
{
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The 43-character digest of <paramref name="key"/> with <paramref name="salt"/> after <paramref name="rounds"/> rounds.</summary>
    public static string Digest(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, int rounds)
    {
        var alternate = Hash(key, salt, key);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(key);
        sha.AppendData(salt);
        int count;
        for (count = key.Length; count > 32; count -= 32)
            sha.AppendData(alternate);
        sha.AppendData(alternate.AsSpan(0, count));
        for (count = key.Length; count > 0; count >>= 1)
        {
            if ((count & 1) != 0)
                sha.AppendData(alternate);
            else
                sha.AppendData(key);
        }
        var result = sha.GetHashAndReset();

        for (var i = 0; i < key.Length; i++)
            sha.AppendData(key);
        var p = Repeat(sha.GetHashAndReset(), key.Length);
        for (var i = 0; i < 16 + result[0]; i++)
            sha.AppendData(salt);
        var s = Repeat(sha.GetHashAndReset(), salt.Length);

        for (var round = 0; round < rounds; round++)
        {
            var odd = (round & 1) != 0;
            sha.AppendData(odd ? p : result);
            if (round % 3 != 0)
                sha.AppendData(s);
            if (round % 7 != 0)
                sha.AppendData(p);
            sha.AppendData(odd ? result : p);
            result = sha.GetHashAndReset();
        }
        return Encode(result);
    }

    private static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(first);
        sha.AppendData(second);
        sha.AppendData(third);
        return sha.GetHashAndReset();
    }

    /// <summary>The 32-byte digest repeated (and cut) to <paramref name="length"/> bytes.</summary>
    private static byte[] Repeat(byte[] digest, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = digest[i % digest.Length];
        return bytes;
    }

    /// <summary>crypt(3)'s own base64: its alphabet and its byte order, 24 bits at a time, low bits first.</summary>
    private static string Encode(byte[] d)
    {
        var text = new System.Text.StringBuilder(43);
        void Add(int b2, int b1, int b0, int n)
        {
            var w = (b2 << 16) | (b1 << 8) | b0;
            for (var i = 0; i < n; i++, w >>= 6)
                text.Append(Alphabet[w & 0x3F]);
        }
        Add(d[0], d[10], d[20], 4); Add(d[21], d[1], d[11], 4); Add(d[12], d[22], d[2], 4); Add(d[3], d[13], d[23], 4);
        Add(d[24], d[4], d[14], 4); Add(d[15], d[25], d[5], 4); Add(d[6], d[16], d[26], 4); Add(d[27], d[7], d[17], 4);
        Add(d[18], d[28], d[8], 4); Add(d[9], d[19], d[29], 4); Add(0, d[31], d[30], 3);
        return text.ToString();
    }
}
