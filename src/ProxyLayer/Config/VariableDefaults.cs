using System.Collections.Frozen;

namespace ProxyLayer.Config;

/// <summary>
/// The built-in value of every global variable, by full name. Read from <c>Defaults/proxysql-variables.tsv</c>
/// (observed on a fresh ProxySQL 2.7.2), with the few ProxyLayer overrides below. The set of names is also the set
/// of variables that exist: admin <c>SET</c> rejects any other.
/// </summary>
public static class VariableDefaults
{
    private const string ResourceName = "ProxyLayer.Config.Defaults.proxysql-variables.tsv";

    /// <summary>Where ProxyLayer's default differs from the observed ProxySQL instance, and why.</summary>
    private static readonly KeyValuePair<string, string>[] Overrides =
    [
        // The observed instance listened on a test port; admin binds to loopback so a fresh install never exposes admin:admin.
        new("admin-mysql_ifaces", "127.0.0.1:6032"),
        // The observed instance listened on a test port; 0.0.0.0:6033 is what ProxySQL uses when interfaces is empty.
        new("mysql-interfaces", "0.0.0.0:6033"),
        // 'admin' may only log in locally, so a second pair ships for remote admin (same as the observed instance).
        new("admin-admin_credentials", "admin:admin;radmin:radmin"),
        // Empty: the MySQL interface's greeting announces the backends' own version (ProxySQL's 8.0.11 until one is
        // known). Any value set wins, as in ProxySQL. See Sessions/FrontendGreeting.cs.
        new("mysql-server_version", ""),
        // The observed instance was a development build (2.7.2-14-…); the release whose cluster protocol ProxyLayer
        // speaks says this, and admin-version is part of the admin_variables checksum peers compare.
        new("admin-version", Cluster.ClusterProtocol.ProxySqlVersion),
    ];

    /// <summary>Variables ProxyLayer has and ProxySQL does not.</summary>
    private static readonly KeyValuePair<string, string>[] Additions =
    [
        // The monitor refuses a second read_only=0 server into a writer hostgroup that already has a live writer.
        new("mysql-monitor_writer_fencing", "true"),
        // Read-your-writes on asynchronous replicas (README "Read-your-writes"): off unless asked for, globally, per
        // user (mysql_users.attributes {"read_your_writes":true}) or per rule (mysql_query_rules.gtid_from_hostgroup).
        new("mysql-read_your_writes", "false"),
        // No caught-up replica: "wait" on one (MASTER_GTID_WAIT) up to the timeout, then the writer; "writer" at once.
        new("mysql-read_your_writes_fallback", "wait"),
        new("mysql-read_your_writes_wait_timeout_ms", "500"),
        // How often the monitor reads each server's @@gtid_current_pos while read-your-writes is in use.
        new("mysql-monitor_gtid_interval", "100"),
        // ProxySQL 2.7 removed admin-hash_passwords (sysown/proxysql#4218); ProxyLayer keeps it, off by default:
        // LOAD MYSQL USERS TO RUNTIME then stores clear-text passwords hashed (see Config/PasswordHashing.cs).
        new("admin-hash_passwords", "false"),
        // TLS on the admin interface, with the MySQL interface's certificate files: offered, and optionally required.
        new("admin-have_ssl", "true"),
        new("admin-ssl_required", "false"),
        // ProxySQL never kills a scheduler program. ProxyLayer never starts a row's program while its last run goes on,
        // so a hung program would silence its row for good: after this long (ms) it is killed with its children.
        // 5 minutes is far above what checker scripts take (seconds), and short enough that a stuck one is noticed.
        new("admin-scheduler_timeout_ms", "300000"),
    ];

    /// <summary>Every variable and its default, keyed case-insensitively by full name (<c>mysql-threads</c>).</summary>
    public static FrozenDictionary<string, string> All { get; }

    public static bool IsKnown(string name) => All.ContainsKey(name);

    /// <summary>
    /// Variables whose ProxySQL default is a NULL string (the telnet interfaces), which ProxySQL's runtime shows, hashes
    /// and sends to peers as the text <c>(null)</c>; ProxyLayer keeps them empty and writes <c>(null)</c> for peers.
    /// </summary>
    public static bool IsNullInProxySql(string name) => NullInProxySql.Contains(name);

    private static readonly FrozenSet<string> NullInProxySql;

    static VariableDefaults() => (All, NullInProxySql) = Load();

    /// <summary>
    /// ProxyLayer's own variables (no ProxySQL node knows them): left out of the cluster's variables checksums and of
    /// what peers fetch, so that ProxyLayer and ProxySQL nodes with the same settings agree.
    /// </summary>
    public static bool IsProxyLayerOnly(string name) => ProxyLayerOnly.Contains(name);

    private static readonly FrozenSet<string> ProxyLayerOnly = Additions.Select(a => a.Key).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static (FrozenDictionary<string, string>, FrozenSet<string>) Load()
    {
        using var stream = typeof(VariableDefaults).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        var nullDefaults = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var defaults = Parse(reader.ReadToEnd(), nullDefaults);
        foreach (var (name, value) in Overrides.Concat(Additions))
            defaults[name] = value;
        return (defaults.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), nullDefaults.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Lines of <c>name&lt;TAB&gt;value</c>; <c>#</c> starts a comment line. <paramref name="nullDefaults"/> gets the names shown as <c>(null)</c>.</summary>
    internal static Dictionary<string, string> Parse(string tsv, ISet<string>? nullDefaults = null)
    {
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in tsv.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed[0] == '#')
                continue;
            int tab = trimmed.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
                throw new FormatException($"variable defaults: expected 'name<TAB>value', found '{trimmed}'");
            string value = trimmed[(tab + 1)..];
            // ProxySQL shows a NULL default as "(null)"; variables are text here, so the nearest value is empty.
            defaults[trimmed[..tab]] = value == "(null)" ? "" : value;
            if (value == "(null)")
                nullDefaults?.Add(trimmed[..tab]);
        }
        return defaults;
    }
}
