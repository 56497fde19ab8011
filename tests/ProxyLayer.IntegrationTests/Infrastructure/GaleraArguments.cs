using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The mariadbd options that make a rig server a Galera node, tuned so that a dead node is noticed in seconds.</summary>
internal static class GaleraArguments
{
    public const string ProviderPath = "/usr/lib/galera/libgalera_smm.so";

    public static void Apply(List<string> arguments, GaleraNodeOptions galera)
    {
        // Galera replicates by write sets, not the binary log; strict GTID mode would trip over applied write sets.
        arguments.RemoveAll(a => a.StartsWith("--log-bin", StringComparison.Ordinal) || a.StartsWith("--relay-log", StringComparison.Ordinal)
            || a.StartsWith("--log-slave-updates", StringComparison.Ordinal) || a.StartsWith("--gtid-strict-mode", StringComparison.Ordinal)
            || a.StartsWith("--sync-binlog", StringComparison.Ordinal));
        var portArgument = arguments.First(a => a.StartsWith("--port=", StringComparison.Ordinal));
        var sqlPort = portArgument["--port=".Length..];
        var options = string.Join(';',
            $"gmcast.listen_addr=tcp://127.0.0.1:{galera.GroupPort.ToString(CultureInfo.InvariantCulture)}",
            $"ist.recv_addr=127.0.0.1:{galera.IstPort.ToString(CultureInfo.InvariantCulture)}",
            "gcache.size=16M",
            // Failure detection in seconds instead of the default ~15 s; keepalive must stay under a third of suspect_timeout.
            "evs.keepalive_period=PT0.3S", "evs.suspect_timeout=PT1.5S", "evs.inactive_timeout=PT3S",
            "evs.inactive_check_period=PT0.5S", "evs.install_timeout=PT3S", "pc.wait_prim_timeout=PT5S");
        arguments.AddRange(
        [
            "--wsrep-on=ON",
            $"--wsrep-provider={ProviderPath}",
            $"--wsrep-cluster-name={galera.ClusterName}",
            $"--wsrep-cluster-address={galera.ClusterAddress}",
            $"--wsrep-node-address=127.0.0.1:{galera.GroupPort.ToString(CultureInfo.InvariantCulture)}",
            $"--wsrep-node-incoming-address=127.0.0.1:{sqlPort}",
            $"--wsrep-provider-options={options}",
            "--wsrep-sst-method=rsync",
            "--binlog-format=ROW",
            "--innodb-autoinc-lock-mode=2",
        ]);
        if (galera.Bootstrap)
            arguments.Add("--wsrep-new-cluster");
    }

    public static void WriteSavedState(string dataDir, GaleraPosition position) =>
        File.WriteAllText(Path.Combine(dataDir, "grastate.dat"), string.Create(CultureInfo.InvariantCulture,
            $"# GALERA saved state\nversion: 2.1\nuuid:    {position.Uuid}\nseqno:   {position.Seqno}\nsafe_to_bootstrap: 0\n"));
}
