namespace ProxyLayer.Cluster;

/// <summary>One row of <c>runtime_checksums_values</c>: version counts LOADs (1 after start-up), epoch is when (unix seconds).</summary>
internal sealed record ModuleChecksum(ClusterModule Module, long Version, long Epoch, string Checksum)
{
    public static ModuleChecksum Unloaded(ClusterModule module) => new(module, 0, 0, "");
}
