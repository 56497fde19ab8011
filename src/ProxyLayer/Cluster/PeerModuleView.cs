namespace ProxyLayer.Cluster;

/// <summary>
/// What a check loop knows of one module on one peer (a row of <c>stats_proxysql_servers_checksums</c>):
/// <see cref="DiffCheck"/> counts consecutive checks that found the peer's checksum different from ours.
/// </summary>
internal sealed record PeerModuleView(ClusterModule Module, long Version, long Epoch, string Checksum, long ChangedAt, long UpdatedAt, int DiffCheck)
{
    public static PeerModuleView Unseen(ClusterModule module) => new(module, 0, 0, "", 0, 0, 0);

    /// <summary>
    /// ProxySQL's bookkeeping for one check: a new checksum from the peer restarts the count at 1, the same one
    /// different from ours counts up, and agreeing with ours resets it to 0.
    /// </summary>
    public PeerModuleView Observe(long version, long epoch, string checksum, string ownChecksum, long now)
    {
        var changed = checksum != Checksum;
        var diff = checksum == ownChecksum ? 0 : changed ? 1 : DiffCheck + 1;
        return new PeerModuleView(Module, version, epoch, checksum, changed ? now : ChangedAt, now, diff);
    }

    /// <summary>A check whose global checksum had not changed: the last values stand, the count goes on.</summary>
    public PeerModuleView Unchanged(string ownChecksum, long now) =>
        this with { UpdatedAt = now, DiffCheck = Checksum == ownChecksum ? 0 : DiffCheck == 0 ? 0 : DiffCheck + 1 };
}
