using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using ProxyLayer.Routing;

namespace ProxyLayer.Cluster;

/// <summary>The checksums of every module at one moment, and the global checksum folded from them.</summary>
internal sealed class ChecksumSnapshot
{
    private ChecksumSnapshot(ImmutableArray<ModuleChecksum> modules)
    {
        Modules = modules;
        GlobalChecksum = ComputeGlobal(modules);
    }

    public static ChecksumSnapshot Empty { get; } = new([.. ClusterModuleNames.All.Select(ModuleChecksum.Unloaded)]);

    /// <summary>Indexed by <see cref="ClusterModule"/>.</summary>
    public ImmutableArray<ModuleChecksum> Modules { get; }

    /// <summary>What <c>SELECT GLOBAL_CHECKSUM()</c> answers: it changes whenever any module's checksum or version does.</summary>
    public long GlobalChecksum { get; }

    public ModuleChecksum this[ClusterModule module] => Modules[(int)module];

    public ChecksumSnapshot With(ModuleChecksum module) => new(Modules.SetItem((int)module.Module, module));

    /// <summary>
    /// ProxySQL's <c>generate_global_checksum</c>: SpookyHash seeds (9, 5) over each loaded module's checksum text and
    /// its version as 8 little-endian bytes, in <see cref="ClusterModule"/> order; halved to stay within a signed 64-bit
    /// integer.
    /// </summary>
    private static long ComputeGlobal(ImmutableArray<ModuleChecksum> modules)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var module in modules)
        {
            if (module.Version == 0)
                continue;
            Encoding.ASCII.GetBytes(module.Checksum, buffer);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), module.Version);
            buffer.Advance(8);
        }
        ulong hash1 = 9, hash2 = 5;
        SpookyHash.Hash128(buffer.WrittenSpan, ref hash1, ref hash2);
        return (long)(hash1 / 2);
    }
}
