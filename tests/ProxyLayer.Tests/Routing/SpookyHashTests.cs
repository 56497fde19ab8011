using System.Text;
using ProxyLayer.Routing;

namespace ProxyLayer.Tests.Routing;

/// <summary>
/// Expected values were produced once by Bob Jenkins' reference SpookyV2.cpp (compiled C++, called through a thin
/// binding) for the same inputs; they are not derived from this implementation. The lengths cover every branch:
/// empty, each 0..15 tail size, the 16- and 32-byte short-hash chunks, the 192-byte switch to the long hash, whole
/// 96-byte blocks and partial tails.
/// </summary>
public sealed class SpookyHashTests
{
    // Byte k of an n-byte test message is (k * 37 + 11) mod 256.
    private static byte[] Message(int length)
    {
        var bytes = new byte[length];
        for (var k = 0; k < length; k++)
        {
            bytes[k] = (byte)((k * 37) + 11);
        }

        return bytes;
    }

    [Theory]
    [InlineData(0, 0x232706FC6BF50919UL, 0x8BE724E4CE4A9A76UL)]
    [InlineData(1, 0xFDF03F88BCF5DA72UL, 0x39822358693C5269UL)]
    [InlineData(2, 0x3D5C6EDB9BF5B75CUL, 0x3C455EDB44DC7C95UL)]
    [InlineData(3, 0xBF057F2C7914B9CCUL, 0xA3C9AE2FEC658CB1UL)]
    [InlineData(4, 0x9DC0B17912ACDACFUL, 0x980D36109AA5C083UL)]
    [InlineData(5, 0xF7200E1BF6A23451UL, 0xEF22442BAB74DEBFUL)]
    [InlineData(6, 0x539F1DB2D304CF12UL, 0x1E5AC7276D7DD43DUL)]
    [InlineData(7, 0xC9D3E5DD359009D7UL, 0xB3398BC618F5DCBEUL)]
    [InlineData(8, 0xE9EA44896FF885E6UL, 0xB70BC66D1A12E438UL)]
    [InlineData(9, 0xB868B8013AC830B4UL, 0x11650EF395FDCD80UL)]
    [InlineData(10, 0x61912A748D095427UL, 0xAA9DB132298697EFUL)]
    [InlineData(11, 0x7123711921555E46UL, 0xEA36F5EBCCA99F93UL)]
    [InlineData(12, 0x31A8B16C94787304UL, 0x45B5549B0EB0045DUL)]
    [InlineData(13, 0xB9BB39A8D55D0EE7UL, 0x21663BE6A5182065UL)]
    [InlineData(14, 0x60CF3FA91934EB53UL, 0x232C99B038D3E714UL)]
    [InlineData(15, 0x0B27CADCE7911A15UL, 0x31A792C48FAC6C81UL)]
    [InlineData(16, 0xC224F1ABD986F0E9UL, 0xE1403BA04C37467CUL)]
    [InlineData(17, 0x2967362D794F7832UL, 0x52CB2473C9990EAFUL)]
    [InlineData(18, 0xD9BC3AC8D7861149UL, 0xFB332CA0E80CE250UL)]
    [InlineData(19, 0xD6AF5ABDD3B09CFAUL, 0x34DF310E458B5FCAUL)]
    [InlineData(20, 0xB99246549DD7D39CUL, 0x98F324880D0D1050UL)]
    [InlineData(21, 0x8C22732FB4B445B6UL, 0x845DF5656A2F5B70UL)]
    [InlineData(22, 0x0A74C3D9EF2AEE26UL, 0x5E6459B797C55EE0UL)]
    [InlineData(23, 0x7F77B2FB64B53C70UL, 0x38F08FF73F7F28C8UL)]
    [InlineData(24, 0x6F4DC0CB763940BFUL, 0x2473B4D1A768EB62UL)]
    [InlineData(25, 0x75F846A2B4A5A77EUL, 0x00E1856E8A92D713UL)]
    [InlineData(26, 0x16CC5DD7E734606FUL, 0xA7E901E847C593EEUL)]
    [InlineData(27, 0xAAA1C2E3BCBC4DC4UL, 0xC926F56A90C9AD5EUL)]
    [InlineData(28, 0x0C4E5AA92D977C60UL, 0xED7D6CDF38FE0357UL)]
    [InlineData(29, 0xE5DDFD4174C88722UL, 0xEC4EFAF1DD14078AUL)]
    [InlineData(30, 0x7808FB6D1EA3B199UL, 0x3CAEDDF5B84B505FUL)]
    [InlineData(31, 0x1627D7F01B2DD9D7UL, 0xB66E0714B6967BDFUL)]
    [InlineData(32, 0xE1FB2FF02AEAF41EUL, 0x27DE92D0D8749A58UL)]
    [InlineData(33, 0x983EC3A3CB0B2984UL, 0x0803160C64E828B1UL)]
    [InlineData(34, 0x0D19C6283B8B30CFUL, 0x4CA9636D0704DDD8UL)]
    [InlineData(35, 0x2DD6CBCA6BD83D38UL, 0xBDE7F02A160BD441UL)]
    [InlineData(36, 0x8ED60EC7DCFE1084UL, 0x6530A4F6423655C6UL)]
    [InlineData(37, 0x2CA353B966647CF0UL, 0x4524B01F92DD06F3UL)]
    [InlineData(38, 0x31D270F207C042D3UL, 0x26BF614F3B53AFECUL)]
    [InlineData(39, 0x1EBFAF9700A94F0EUL, 0x5EA035AA699A1F76UL)]
    [InlineData(40, 0x7F8BB7095A2A926CUL, 0x90919F6F339AAB9EUL)]
    [InlineData(47, 0xCA0FBC419AFEEE0FUL, 0xA858BB5153A00820UL)]
    [InlineData(48, 0x243E63DAF396A568UL, 0x5C42C93187202CC4UL)]
    [InlineData(63, 0x79E332DB1A3DC309UL, 0x014EBDFCE27337D5UL)]
    [InlineData(64, 0x3EB471277AB07382UL, 0x46825346FD25B671UL)]
    [InlineData(95, 0xCBF10E2AA2DAC919UL, 0xFAD75DEA09153FC9UL)]
    [InlineData(96, 0xB406ADA71EE586C4UL, 0x942EA5203A743919UL)]
    [InlineData(127, 0x8F97F821F0BB2491UL, 0xCB9A984EF19A3945UL)]
    [InlineData(128, 0xA0331B7C6F54F457UL, 0x2A40D03BC268D36CUL)]
    [InlineData(159, 0x40F9B2F63C2494CEUL, 0x7CDEE9232649D39DUL)]
    [InlineData(160, 0x9504D1D65FF677FCUL, 0x1E27027D353B52D7UL)]
    [InlineData(191, 0x2A6D3A575EE1082AUL, 0x27D318AB5A93C242UL)]
    [InlineData(192, 0x0907E64F76E462FDUL, 0xB05472DB35B557ADUL)]
    [InlineData(193, 0x69F2AF757102E549UL, 0x80A542BEDC420DE9UL)]
    [InlineData(200, 0xEB852B859F0C9F45UL, 0x1FD5D18B2B6B2A8BUL)]
    [InlineData(287, 0xB1F46BFC1A281167UL, 0x4B4748C47AC0244BUL)]
    [InlineData(288, 0xCFA8A9ABEF50454CUL, 0x79E3CBD0D95BFA5CUL)]
    [InlineData(300, 0x0F79A765F2BB6B15UL, 0xA7F6CAD93E27C518UL)]
    [InlineData(383, 0x36DA48844FF21E55UL, 0xDD9432464339CF28UL)]
    [InlineData(384, 0x8EF3AE5A11D04F1FUL, 0xDF0A98F26AC1DC33UL)]
    [InlineData(385, 0x677D8D97907E1820UL, 0xCACC1B3DB8955DFFUL)]
    [InlineData(1000, 0x88B10939854AF43DUL, 0x50DF82609F10C46EUL)]
    [InlineData(4096, 0xAB538246546022CDUL, 0x11771C15571DABA6UL)]
    public void Hash64_matches_reference_vectors(int length, ulong expectedSeed0, ulong expectedSeed0123456789ABCDEF)
    {
        var message = Message(length);

        Assert.Equal(expectedSeed0, SpookyHash.Hash64(message));
        Assert.Equal(expectedSeed0123456789ABCDEF, SpookyHash.Hash64(message, 0x0123456789ABCDEFUL));
    }

    [Fact]
    public void Hash128_with_two_seeds_matches_reference()
    {
        // Reference output bytes 669882fae8522432 6a9da494b73b6732 are the two words in little-endian order.
        ulong hash1 = 5;
        ulong hash2 = 7;

        SpookyHash.Hash128(Message(300), ref hash1, ref hash2);

        Assert.Equal(0x322452E8FA829866UL, hash1);
        Assert.Equal(0x32673BB794A49D6AUL, hash2);
    }

    [Theory]
    [InlineData("SELECT ?", 0x1C46AE529DD5A40EUL)]
    [InlineData("select ?", 0x1E092DAEFFBBF262UL)]
    [InlineData("SELECT * FROM x FOR UPDATE", 0xA13B57917C66431AUL)]
    [InlineData("SELECT * FROM t WHERE id IN (?,?,?,...)", 0x0879526300B5BE2DUL)]
    [InlineData("INSERT INTO db.t (c1,c2,c3,c4) VALUES (?,?,?,?)", 0x2E384A8A177FDE7FUL)]
    [InlineData("SELECT ?,?", 0xB4E6863D3FF3467CUL)]
    public void Hash64_of_digest_texts_matches_reference(string digestText, ulong expected)
    {
        Assert.Equal(expected, SpookyHash.Hash64(Encoding.UTF8.GetBytes(digestText)));
    }
}
