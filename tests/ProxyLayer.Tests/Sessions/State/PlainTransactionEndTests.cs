using ProxyLayer.Sessions.State;

namespace ProxyLayer.Tests.Sessions.State;

public sealed class PlainTransactionEndTests
{
    [Theory]
    [InlineData("COMMIT")]
    [InlineData("commit work")]
    [InlineData("ROLLBACK;")]
    [InlineData(" /* c */ ROLLBACK WORK ; ")]
    [InlineData("COMMIT -- done\n")]
    public void Bare_forms_can_be_answered_locally(string sql) => Assert.True(PlainTransactionEnd.Is(sql));

    [Theory]
    [InlineData("COMMIT AND CHAIN")]
    [InlineData("COMMIT AND CHAIN RELEASE")]
    [InlineData("COMMIT RELEASE")]
    [InlineData("ROLLBACK TO SAVEPOINT a")]
    [InlineData("COMMIT WORK WORK")]
    [InlineData("COMMIT; SELECT 1")]
    [InlineData("COMMIT /*! AND CHAIN */")]
    [InlineData("COMMIT /* unterminated")]
    [InlineData("")]
    public void Anything_more_goes_to_a_server(string sql) => Assert.False(PlainTransactionEnd.Is(sql));
}
