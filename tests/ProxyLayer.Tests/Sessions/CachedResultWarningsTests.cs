using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class CachedResultWarningsTests
{
    /// <summary>Packets with headers: column count, one definition, EOF or not, one row, then <paramref name="end"/>.</summary>
    private static byte[] Response(byte[] end, bool columnEof)
    {
        var packets = new List<byte[]> { new byte[] { 1 }, new byte[] { 3, (byte)'d', (byte)'e', (byte)'f' } };
        if (columnEof)
            packets.Add([0xFE, 0, 0, 2, 0]);
        packets.Add([1, (byte)'x']);
        packets.Add(end);
        var bytes = new List<byte>();
        byte sequence = 1;
        foreach (var packet in packets)
        {
            bytes.AddRange([(byte)packet.Length, 0, 0, sequence++]);
            bytes.AddRange(packet);
        }
        return [.. bytes];
    }

    [Fact]
    public void The_final_eof_loses_its_warnings()
    {
        var response = Response([0xFE, 3, 0, 0x22, 0], columnEof: true);

        Assert.True(CachedResultWarnings.Clear(response, deprecateEof: false));

        Assert.Equal([0xFE, 0, 0, 0x22, 0], response[^5..]);
    }

    [Fact]
    public void The_ok_that_ends_a_result_without_eof_loses_its_warnings()
    {
        // 0xFE, affected rows 0, last insert id 0, status 0x0022, warnings 5.
        var response = Response([0xFE, 0, 0, 0x22, 0, 5, 0], columnEof: false);

        Assert.True(CachedResultWarnings.Clear(response, deprecateEof: true));

        Assert.Equal([0xFE, 0, 0, 0x22, 0, 0, 0], response[^7..]);
    }

    [Fact]
    public void Bytes_that_do_not_end_a_result_set_are_left_alone()
    {
        var error = Response([0xFF, 0x48, 0x04], columnEof: true);
        var copy = error.ToArray();

        Assert.False(CachedResultWarnings.Clear(error, deprecateEof: false));
        Assert.False(CachedResultWarnings.Clear(error.AsSpan(0, error.Length - 1), deprecateEof: false));
        Assert.Equal(copy, error);
    }
}
