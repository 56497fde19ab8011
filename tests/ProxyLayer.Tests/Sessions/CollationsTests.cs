using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class CollationsTests
{
    [Theory]
    [InlineData(45, "SET NAMES utf8mb4 COLLATE utf8mb4_general_ci")]
    [InlineData(224, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci")]
    [InlineData(8, "SET NAMES latin1 COLLATE latin1_swedish_ci")]
    [InlineData(63, "SET NAMES binary")]
    [InlineData(255, "SET NAMES utf8mb4")]
    [InlineData(0, "SET NAMES utf8mb4")]
    [InlineData(9999, "SET NAMES utf8mb4")]
    [InlineData(-1, "SET NAMES utf8mb4")]
    public void SetNamesStatement(int collationId, string expected) => Assert.Equal(expected, Collations.SetNamesStatement(collationId));
}
