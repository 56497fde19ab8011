namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// The sequence ids one compressed connection keeps across its two directions, shared by its
/// <see cref="CompressedPipeWriter"/> and <see cref="DecompressingStream"/>.
/// </summary>
/// <remarks>
/// Frames: the server expects 0 on the frame that starts a command and, within an exchange, the id after its own
/// last frame. Packets: in compressed mode the server numbers the packets of a reply after the frames it read, not
/// after the packets (a command sent in 17 frames gets a reply numbered from 17). Replies are renumbered as a plain
/// server would number them, after the last packet sent, so what is relayed to a client stays byte-exact.
/// <para>
/// The proxy is also the server of compressed client links. There frames it sends continue after the client's last
/// frame, as a server's do. Packets it reads are renumbered the same way (libmariadb numbers every packet 0 inside its
/// frames), from 0 at each command (<see cref="CompressedPipeWriter.ExpectCommand"/>), so what goes on to a backend is
/// numbered as a plain client numbers it. Packets it sends keep their plain numbering: clients check only the frames'.
/// </para>
/// </remarks>
public sealed class CompressedSequenceIds
{
    /// <summary>The id for the next frame sent.</summary>
    public byte NextFrame { get; set; }

    /// <summary>The id the next packet received should carry: one more than the previous packet in either direction.</summary>
    public byte NextPacket { get; set; }
}
