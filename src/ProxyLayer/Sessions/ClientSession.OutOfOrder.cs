using System.Net;
using Microsoft.Extensions.Logging;

namespace ProxyLayer.Sessions;

internal sealed partial class ClientSession
{
    /// <summary>
    /// A command whose first packet is not numbered 0: the client and the proxy no longer agree on where packets
    /// start, so nothing it sends can be trusted. MariaDB's answer, numbered 0 as MariaDB numbers it, then the
    /// connection is closed (the caller returns; any backend connection goes back to the pool). Counted in
    /// <c>Client_Connections_out_of_order</c>; the log line is Debug, as a flood of them must not flood the log.
    /// </summary>
    private async ValueTask RefuseOutOfOrderAsync()
    {
        LogOutOfOrder(ConnectionId, Remote, _client.FirstSequenceId);
        _stats.Globals.OnCommandOutOfOrder();
        _client.NextSequenceId = 0;
        await TrySendErrorAsync(FrontendHandshake.PacketsOutOfOrder).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "session {Id} from {Remote}: command packet numbered {SequenceId}, not 0: closed with 1156 (Got packets out of order)")]
    private partial void LogOutOfOrder(uint id, IPEndPoint? remote, byte sequenceId);
}
