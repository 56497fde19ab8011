using ProxyLayer.Cluster;

namespace ProxyLayer.Tests.Cluster;

/// <summary>When a module is taken from a peer (ProxySQL's rule): newest epoch wins, a node fresh from start-up gives way.</summary>
public sealed class SyncDecisionTests
{
    private static readonly ModuleChecksum Own = new(ClusterModule.MysqlQueryRules, 3, 1000, "0xAAAA000000000000");

    private static PeerModuleView Peer(long version, long epoch, int diffCheck, string checksum = "0xBBBB000000000000") =>
        new(ClusterModule.MysqlQueryRules, version, epoch, checksum, 0, 0, diffCheck);

    [Fact]
    public void A_newer_epoch_is_taken_once_it_differed_for_diffs_before_sync_checks()
    {
        Assert.Equal(SyncVerdict.Wait, SyncDecision.Judge(Peer(2, 1001, 2), Own, 3));
        Assert.Equal(SyncVerdict.Sync, SyncDecision.Judge(Peer(2, 1001, 3), Own, 3));
    }

    [Fact]
    public void An_older_epoch_is_not_taken_the_peer_will_take_ours()
    {
        Assert.Equal(SyncVerdict.Wait, SyncDecision.Judge(Peer(9, 999, 50), Own, 3));
    }

    [Fact]
    public void A_node_at_version_1_takes_any_changed_peer_configuration()
    {
        var fresh = Own with { Version = 1, Epoch = 5000 };
        Assert.Equal(SyncVerdict.Sync, SyncDecision.Judge(Peer(2, 1001, 3), fresh, 3));
    }

    [Fact]
    public void A_peer_at_version_1_is_never_taken()
    {
        Assert.Equal(SyncVerdict.PeerAtVersionOne, SyncDecision.Judge(Peer(1, 9999, 100), Own, 3));
    }

    [Fact]
    public void Same_epoch_and_different_checksum_is_a_conflict_neither_side_resolves()
    {
        Assert.Equal(SyncVerdict.SameEpochConflict, SyncDecision.Judge(Peer(4, 1000, 30), Own, 3));
    }

    [Fact]
    public void Diffs_before_sync_0_disables_the_module_and_equal_checksums_are_in_step()
    {
        Assert.Equal(SyncVerdict.Disabled, SyncDecision.Judge(Peer(2, 1001, 100), Own, 0));
        Assert.Equal(SyncVerdict.InStep, SyncDecision.Judge(Peer(2, 1001, 0, Own.Checksum), Own, 3));
    }

    [Fact]
    public void Diff_check_counts_as_ProxySQL_counts_it()
    {
        var view = PeerModuleView.Unseen(ClusterModule.MysqlQueryRules);
        view = view.Observe(2, 10, "0x1", "0x0", now: 100);
        Assert.Equal(1, view.DiffCheck); // a new checksum starts the count
        view = view.Unchanged("0x0", now: 101);
        Assert.Equal(2, view.DiffCheck);
        view = view.Observe(2, 10, "0x1", "0x0", now: 102);
        Assert.Equal(3, view.DiffCheck); // the same checksum again counts on
        view = view.Unchanged("0x1", now: 103);
        Assert.Equal(0, view.DiffCheck); // ours caught up
        Assert.Equal(100, view.ChangedAt);
        Assert.Equal(103, view.UpdatedAt);
    }
}
