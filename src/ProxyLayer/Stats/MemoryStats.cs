using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_memory_metrics</c>. ProxySQL lists its allocator's and modules' figures; the ones a .NET process
/// has are SQLite's own (<c>SQLite3_memory_bytes</c>, the admin store) and, ProxyLayer's own rows, the managed heap
/// and the process's resident set.
/// </summary>
internal static class MemoryStats
{
    public const string Table = "stats_memory_metrics";

    public static void Write(SqliteConnection connection)
    {
        using var table = StatsTableWriter.Replace(connection, Table, "Variable_Name", "Variable_Value");
        foreach (var (name, value) in Values())
            table.Add(name, value.ToString(CultureInfo.InvariantCulture));
    }

    internal static IEnumerable<(string Name, long Value)> Values()
    {
        var gc = GC.GetGCMemoryInfo();
        yield return ("SQLite3_memory_bytes", SqliteMemoryBytes());
        yield return ("dotnet_gc_heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
        yield return ("dotnet_gc_committed_bytes", gc.TotalCommittedBytes);
        yield return ("process_resident_bytes", Environment.WorkingSet);
    }

    /// <summary>What SQLite's allocator holds now (all connections of the process).</summary>
    public static long SqliteMemoryBytes()
    {
        // SqliteConnection's static constructor installs SQLite's provider. The process always has the admin store
        // open by now, but a host started without it (tests) may not: without a provider the call throws.
        RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
        return SQLitePCL.raw.sqlite3_memory_used();
    }
}
