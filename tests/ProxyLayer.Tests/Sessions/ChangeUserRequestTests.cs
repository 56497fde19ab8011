using System.Text;
using ProxyLayer.Protocol;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class ChangeUserRequestTests
{
    private const CapabilityFlags Modern = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth;

    private static readonly byte[] Scramble = [.. Enumerable.Range(1, 20).Select(i => (byte)i)];

    private static byte[] NulTerminated(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    /// <summary>COM_CHANGE_USER with a length-prefixed auth response (CLIENT_SECURE_CONNECTION).</summary>
    private static byte[] Payload(string user, string database, byte[] tail) =>
        [0x11, .. NulTerminated(user), (byte)Scramble.Length, .. Scramble, .. NulTerminated(database), .. tail];

    [Fact]
    public void Read_WithCharsetAndPlugin()
    {
        var request = ChangeUserRequest.Read(Payload("bob", "shop", [45, 0, .. NulTerminated("mysql_native_password")]), Modern);
        Assert.Equal(new ChangeUserRequest("bob", "shop", 45), request);
    }

    [Fact]
    public void Read_TwoByteCharset()
    {
        var request = ChangeUserRequest.Read(Payload("bob", "shop", [0x00, 0x01]), Modern);
        Assert.Equal(256, request.Collation);
    }

    [Fact]
    public void Read_WithoutTrailingCharset()
    {
        var request = ChangeUserRequest.Read(Payload("bob", "shop", []), Modern);
        Assert.Equal(new ChangeUserRequest("bob", "shop", 0), request);
    }

    [Fact]
    public void Read_EmptyDatabase_IsNull()
    {
        var request = ChangeUserRequest.Read(Payload("alice", "", [224, 0]), Modern);
        Assert.Equal(new ChangeUserRequest("alice", null, 224), request);
    }

    [Fact]
    public void Read_EndsAfterAuthResponse_NoDatabase()
    {
        byte[] payload = [0x11, .. NulTerminated("bob"), 0];
        Assert.Equal(new ChangeUserRequest("bob", null, 0), ChangeUserRequest.Read(payload, Modern));
    }

    [Fact]
    public void Read_OldAuth_NulTerminatedResponse()
    {
        byte[] payload = [0x11, .. NulTerminated("bob"), .. NulTerminated("abcdefgh"), .. NulTerminated("shop"), 8, 0];
        Assert.Equal(new ChangeUserRequest("bob", "shop", 8), ChangeUserRequest.Read(payload, CapabilityFlags.Protocol41));
    }

    [Fact]
    public void Read_Utf8Names()
    {
        var request = ChangeUserRequest.Read(Payload("jürgen", "bäckerei", [45, 0]), Modern);
        Assert.Equal(new ChangeUserRequest("jürgen", "bäckerei", 45), request);
    }

    [Fact]
    public void Read_TruncatedAuthResponse_Throws()
    {
        byte[] payload = [0x11, .. NulTerminated("bob"), 20, 1, 2, 3];
        Assert.Throws<ProtocolException>(() => ChangeUserRequest.Read(payload, Modern));
    }
}
