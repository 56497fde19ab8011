using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The explicit mariadbd command line for a rig server (no option files are read).</summary>
internal static class MariaDbArguments
{
    /// <summary>Small enough that half a dozen servers fit at once; the template is installed with the same.</summary>
    public static readonly string[] InnoDbSizing = ["--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M"];

    public static List<string> ForServer(MariaDbServer server, bool readOnly)
    {
        List<string> arguments =
        [
            "--no-defaults",
            $"--datadir={server.DataDir}",
            $"--tmpdir={server.Directory}",
            $"--socket={server.SocketPath}",
            $"--pid-file={Path.Combine(server.Directory, "mariadbd.pid")}",
            $"--log-error={server.ErrorLogPath}",
            "--bind-address=127.0.0.1",
            string.Create(CultureInfo.InvariantCulture, $"--port={server.Port}"),
            "--skip-name-resolve",

            // replication: any server can be primary or replica
            string.Create(CultureInfo.InvariantCulture, $"--server-id={server.ServerId}"),
            "--log-bin=mariadb-bin",
            "--relay-log=relay-bin",
            "--binlog-format=ROW",
            "--log-slave-updates=ON",
            "--gtid-strict-mode=ON",

            // memory and speed: durability against an OS crash does not matter here, against kill -9 it still holds
            .. InnoDbSizing,
            "--innodb-log-buffer-size=2M",
            "--innodb-flush-log-at-trx-commit=2",
            "--innodb-doublewrite=OFF",
            "--innodb-use-native-aio=OFF",
            "--sync-binlog=0",
            "--performance-schema=OFF",
            "--key-buffer-size=1M",
            "--aria-pagecache-buffer-size=1M",
            "--table-open-cache=200",
            "--max-connections=300",
            "--max-allowed-packet=64M",

            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci",
        ];
        if (server.Galera is { } galera)
            GaleraArguments.Apply(arguments, galera);
        if (readOnly)
            arguments.Add("--read-only=ON");
        if (server.Certificates is { } tls)
            arguments.AddRange([$"--ssl-ca={tls.CaPath}", $"--ssl-cert={tls.CertPath}", $"--ssl-key={tls.KeyPath}"]);
        if (RigEnvironment.IsRoot)
            arguments.Add("--user=root");
        return arguments;
    }
}
