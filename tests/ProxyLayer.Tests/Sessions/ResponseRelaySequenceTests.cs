using System.Buffers;
using System.IO.Pipelines;
using ProxyLayer.Protocol;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

/// <summary>
/// The relay checks the first packet's sequence id: a packet the server sent before the answer (unasked) is not taken
/// for the answer, and nothing of it reaches the client.
/// </summary>
public sealed class ResponseRelaySequenceTests
{
    private const CapabilityFlags Capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.DeprecateEof;

    /// <summary>An OK packet (affected 0, insert id 0, autocommit, no warnings) with <paramref name="sequenceId"/>.</summary>
    private static byte[] Ok(byte sequenceId) => [7, 0, 0, sequenceId, 0x00, 0, 0, 0x02, 0x00, 0, 0];

    /// <summary>ERR 1053 "Server shutdown in progress", as a server may send it to an idle connection.</summary>
    private static byte[] ShutdownError(byte sequenceId)
    {
        byte[] payload = [0xFF, 0x1D, 0x04, (byte)'#', .. "08S01"u8, .. "Server shutdown in progress"u8];
        return [(byte)payload.Length, 0, 0, sequenceId, .. payload];
    }

    private static async Task<(RelayOutcome Outcome, byte[] ToClient)> RelayAsync(byte[] fromServer, int expectedSequenceId)
    {
        var backend = new Pipe();
        var client = new Pipe();
        await backend.Writer.WriteAsync(fromServer);
        await backend.Writer.CompleteAsync();
        var outcome = await new ResponseRelay().RelayAsync(backend.Reader, client.Writer, ResponseKind.ResultSets, Capabilities,
            CancellationToken.None, expectedSequenceId: expectedSequenceId);
        await client.Writer.CompleteAsync();
        var read = await client.Reader.ReadAsync();
        return (outcome, read.Buffer.ToArray());
    }

    [Fact]
    public async Task An_answer_in_sequence_is_relayed()
    {
        var (outcome, toClient) = await RelayAsync(Ok(1), expectedSequenceId: 1);
        Assert.Equal(RelayEnd.Completed, outcome.End);
        Assert.False(outcome.OutOfSequence);
        Assert.Equal(Ok(1), toClient);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task A_packet_out_of_sequence_ends_the_relay_as_a_lost_backend_with_nothing_forwarded(byte sequenceId)
    {
        var (outcome, toClient) = await RelayAsync([.. ShutdownError(sequenceId), .. Ok(1)], expectedSequenceId: 1);
        Assert.Equal(RelayEnd.BackendLost, outcome.End);
        Assert.True(outcome.OutOfSequence);
        Assert.Equal(0, outcome.BytesForwarded);
        Assert.Empty(toClient);
    }

    [Fact]
    public async Task Without_an_expected_sequence_id_nothing_is_checked()
    {
        var (outcome, toClient) = await RelayAsync(Ok(5), expectedSequenceId: -1);
        Assert.Equal(RelayEnd.Completed, outcome.End);
        Assert.Equal(Ok(5), toClient);
    }
}
