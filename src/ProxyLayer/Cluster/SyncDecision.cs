namespace ProxyLayer.Cluster;

internal enum SyncVerdict
{
    InStep,
    Wait,
    Sync,
    Disabled,
    /// <summary>The peer still runs the configuration it started with (version 1): it is never taken.</summary>
    PeerAtVersionOne,
    /// <summary>Same epoch, different checksum: no way to tell which is newer, so neither side moves.</summary>
    SameEpochConflict,
}

/// <summary>ProxySQL's rule for taking a module from a peer (ProxySQL_Node_Entry::set_checksums), as a pure function.</summary>
internal static class SyncDecision
{
    public static SyncVerdict Judge(PeerModuleView peer, ModuleChecksum own, int diffsBeforeSync)
    {
        if (peer.DiffCheck == 0 || peer.Checksum == own.Checksum)
            return SyncVerdict.InStep;
        if (diffsBeforeSync == 0)
            return SyncVerdict.Disabled;
        if (peer.Version <= 1)
            return SyncVerdict.PeerAtVersionOne;
        // Our own boot-time configuration (version 1) gives way to any changed one; otherwise the newest epoch wins.
        if (own.Version == 1 || peer.Epoch > own.Epoch)
            return peer.DiffCheck >= diffsBeforeSync ? SyncVerdict.Sync : SyncVerdict.Wait;
        return peer.Epoch == own.Epoch ? SyncVerdict.SameEpochConflict : SyncVerdict.Wait;
    }
}
