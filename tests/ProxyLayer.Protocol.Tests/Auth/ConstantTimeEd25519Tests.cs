using System.Numerics;
using CsCheck;
using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Protocol.Tests.Auth;

/// <summary>
/// The constant-time arithmetic behind Ed25519 signing checked against <see cref="BigInteger"/> (the plain definition),
/// on random values and on the edges where a reduction goes wrong (p, p - 1, 2^255 - 1, L, 2^512 - 1), and signatures
/// of random secrets of any length checked by the independent (BigInteger) verifier.
/// </summary>
public sealed class ConstantTimeEd25519Tests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    private static BigInteger Number(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true);

    private static BigInteger Canonical(Field25519 value)
    {
        var bytes = new byte[32];
        value.WriteBytes(bytes);
        return Number(bytes);
    }

    private static byte[] Bytes(BigInteger value, int length)
    {
        var bytes = new byte[length];
        value.TryWriteBytes(bytes, out _, isUnsigned: true);
        return bytes;
    }

    private static readonly Gen<BigInteger> Below2To255 =
        Gen.Byte.Array[32].Select(b => { b[31] &= 0x7F; return Number(b); });

    private static readonly BigInteger[] Edges = [0, 1, 18, 19, P - 1, P, P + 1, P + 18, BigInteger.Pow(2, 255) - 1, BigInteger.Pow(2, 254)];

    [Fact]
    public void Field_arithmetic_matches_the_definition_modulo_p() =>
        Gen.Select(Below2To255, Below2To255).Sample((a, b) =>
        {
            var x = Field25519.From(a);
            var y = Field25519.From(b);
            Assert.Equal(a % P, Canonical(x));
            Assert.Equal((a * b) % P, Canonical(x * y));
            Assert.Equal((a + b) % P, Canonical(x + y));
            Assert.Equal(((a - b) % P + P) % P, Canonical(x - y));
            // Chains keep limbs in range: many products and differences in a row still reduce right.
            var chained = (x - y) * (x + y) * (y - x) - x * x;
            var expected = (((a - b) * (a + b) * (b - a) - a * a) % P + P) % P;
            Assert.Equal(expected, Canonical(chained));
        }, iter: 2000);

    [Fact]
    public void Field_edges_reduce_and_invert()
    {
        foreach (var a in Edges)
        {
            foreach (var b in Edges)
            {
                Assert.Equal((a * b) % P, Canonical(Field25519.From(a) * Field25519.From(b)));
                Assert.Equal(((a - b) % P + P) % P, Canonical(Field25519.From(a) - Field25519.From(b)));
            }
            var inverse = Canonical(Field25519.From(a).Invert());
            Assert.Equal(a % P == 0 ? BigInteger.Zero : BigInteger.ModPow(a, P - 2, P), inverse);
        }
    }

    [Fact]
    public void Field_conditional_swap_swaps_only_on_one()
    {
        var a = Field25519.From(5);
        var b = Field25519.From(P - 7);
        Field25519.ConditionalSwap(ref a, ref b, 0);
        Assert.Equal((5, P - 7), (Canonical(a), Canonical(b)));
        Field25519.ConditionalSwap(ref a, ref b, 1);
        Assert.Equal((P - 7, 5), (Canonical(a), Canonical(b)));
    }

    [Fact]
    public void Scalar_reduction_and_multiply_add_match_the_definition_modulo_l()
    {
        Gen.Select(Gen.Byte.Array[64], Below2To255, Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((wide, a, bRaw, cRaw) =>
        {
            Assert.Equal(Number(wide) % L, Number(Scalar25519.Reduce(wide)));
            var b = Number(bRaw) % L;
            var c = Number(cRaw) % L;
            Assert.Equal((a * b + c) % L, Number(Scalar25519.MultiplyAdd(Bytes(a, 32), Bytes(b, 32), Bytes(c, 32))));
        }, iter: 2000);
        foreach (var edge in new[] { BigInteger.Zero, L - 1, L, L + 1, 2 * L, BigInteger.Pow(2, 512) - 1, BigInteger.Pow(2, 253) })
            Assert.Equal(edge % L, Number(Scalar25519.Reduce(Bytes(edge, 64))));
        Assert.Equal(((L - 1) * (L - 1) + L - 1) % L, Number(Scalar25519.MultiplyAdd(Bytes(L - 1, 32), Bytes(L - 1, 32), Bytes(L - 1, 32))));
    }

    [Fact]
    public void Signatures_of_secrets_of_any_length_verify_and_bind_the_message() =>
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Byte.Array[0, 64]).Sample((secret, message) =>
        {
            var publicKey = Ed25519.PublicKey(secret);
            var signature = Ed25519.Sign(secret, message);
            Assert.True(Ed25519.Verify(publicKey, message, signature));
            Assert.False(Ed25519.Verify(publicKey, [.. message, 0], signature));
        }, iter: 40);
}
