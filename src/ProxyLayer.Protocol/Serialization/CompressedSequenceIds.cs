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
/// </remarks>
public sealed class CompressedSequenceIds
{
    /// <summary>The id for the next frame sent.</summary>
    public byte NextFrame { get; set; }

    /// <summary>The id the next packet received should carry: one more than the previous packet in either direction.</summary>
    public byte NextPacket { get; set; }
}
