using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// The command line, with ProxySQL's flags so existing service files and scripts keep working. Flags ProxyLayer has no
/// use for are accepted and listed in <see cref="IgnoredFlags"/> rather than rejected.
/// </summary>
public sealed record CommandLineOptions
{
    public bool Foreground { get; init; }
    public string? ConfigPath { get; init; }
    public string? Datadir { get; init; }
    /// <summary>Start from the config file, discarding the existing database (<c>--initial</c>).</summary>
    public bool Initial { get; init; }
    /// <summary>Merge the config file into the existing database (<c>--reload</c>).</summary>
    public bool Reload { get; init; }
    public bool ShowHelp { get; init; }
    public bool ShowVersion { get; init; }
    public bool NoMonitor { get; init; }
    /// <summary>Start only the admin interface (<c>-n</c>).</summary>
    public bool NoStart { get; init; }
    public bool ExitOnError { get; init; }
    /// <summary>Share the listening ports with other processes that ask the same (<c>-r</c>, SO_REUSEPORT), as in ProxySQL.</summary>
    public bool ReusePort { get; init; }
    /// <summary>Accepted ProxySQL flags that change nothing here, as written (<c>--debug 3</c>), for a startup notice.</summary>
    public ImmutableArray<string> IgnoredFlags { get; init; } = [];

    /// <summary>A known flag; <see cref="Apply"/> is null for flags accepted only for compatibility.</summary>
    private sealed record Flag(string? Short, string Long, bool TakesValue, Func<CommandLineOptions, string, CommandLineOptions>? Apply);

    private static readonly Flag[] Flags =
    [
        new("-f", "--foreground", false, static (o, _) => o with { Foreground = true }),
        new("-c", "--config", true, static (o, v) => o with { ConfigPath = v }),
        new("-D", "--datadir", true, static (o, v) => o with { Datadir = v }),
        new("-d", "--datadir", true, static (o, v) => o with { Datadir = v }),
        new(null, "--initial", false, static (o, _) => o with { Initial = true }),
        new(null, "--reload", false, static (o, _) => o with { Reload = true }),
        new("-h", "--help", false, static (o, _) => o with { ShowHelp = true }),
        new("-V", "--version", false, static (o, _) => o with { ShowVersion = true }),
        new("-M", "--no-monitor", false, static (o, _) => o with { NoMonitor = true }),
        new("-n", "--no-start", false, static (o, _) => o with { NoStart = true }),
        new("-e", "--exit-on-error", false, static (o, _) => o with { ExitOnError = true }),
        new("-r", "--reuseport", false, static (o, _) => o with { ReusePort = true }),
        // ProxySQL-only tuning and features: accepted so existing command lines start, reported as ignored.
        new(null, "--idle-threads", false, null),
        new(null, "--no-version-check", false, null),
        new(null, "--debug", true, null),
        new("-U", "--uuid", true, null),
        new("-S", "--admin-socket", true, null),
        new(null, "--sqlite3-server", false, null),
    ];

    /// <summary>Parses <paramref name="args"/>; values follow their flag (<c>-c FILE</c>) or are joined with <c>=</c> (<c>--config=FILE</c>).</summary>
    public static CommandLineParseResult Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLineOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            string name = equals > 0 ? arg[..equals] : arg;
            var flag = Array.Find(Flags, f => f.Short == name || f.Long == name);
            if (flag is null)
                return CommandLineParseResult.Fail(arg.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{arg}'");

            string value = "";
            if (flag.TakesValue)
            {
                if (equals > 0)
                    value = arg[(equals + 1)..];
                else if (i + 1 < args.Count)
                    value = args[++i];
                if (value.Length == 0)
                    return CommandLineParseResult.Fail($"option '{name}' needs a value");
            }
            else if (equals > 0)
            {
                return CommandLineParseResult.Fail($"option '{name}' takes no value");
            }
            options = flag.Apply is not null
                ? flag.Apply(options, value)
                : options with { IgnoredFlags = options.IgnoredFlags.Add(flag.TakesValue ? $"{name} {value}" : name) };
        }
        return new CommandLineParseResult(options, null);
    }

    public static string HelpText { get; } =
        """
        Usage: proxylayer [options]

        A MySQL/MariaDB proxy that reads ProxySQL's proxysql.cnf and speaks its admin SQL.

        Options:
          -f, --foreground         stay in the foreground (no daemon, no restarting parent)
          -c, --config FILE        read FILE as the config file
          -D, -d, --datadir DIR    keep proxysql.db, logs and the pid file in DIR
              --initial            start from the config file, discarding the saved database
              --reload             merge the config file into the saved database
          -M, --no-monitor         do not start the monitor (no health checks)
          -n, --no-start           start only the admin interface
          -e, --exit-on-error      exit on a fatal error instead of restarting
          -r, --reuseport          share the listening ports with other instances started with -r
                                   (SO_REUSEPORT); without it a port already in use stops the start
          -h, --help               show this text and exit
          -V, --version            print the version and exit

        Accepted for ProxySQL compatibility and ignored:
          --idle-threads, --no-version-check, --debug N, -U/--uuid UUID,
          -S/--admin-socket PATH, --sqlite3-server

        Config file: the -c file, else the first that exists of ./proxysql.cnf, ./proxysql.cfg,
        /etc/proxysql.cnf, /etc/proxysql.cfg; with none, built-in defaults are used.
        Data directory: -D, else datadir= in the config file, else ./data.

        Defaults: admin interface 127.0.0.1:6032 (admin:admin, local only; radmin:radmin),
        client interface 0.0.0.0:6033.

        Example:
          proxylayer -f -c /etc/proxysql.cnf -D /var/lib/proxysql --initial
        """;
}

/// <summary>Parsed options, or an error message for the caller to print before exiting with status 2.</summary>
public sealed record CommandLineParseResult(CommandLineOptions? Options, string? Error)
{
    public bool Succeeded => Options is not null;

    public static CommandLineParseResult Fail(string error) => new(null, error);
}
