using System.Collections.Frozen;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Routing;

namespace ProxyLayer.Config;

/// <summary>
/// Owns the RUNTIME layer: validates a candidate configuration whole, builds its snapshot and swaps it in atomically.
/// A candidate with any error changes nothing. Sessions pick the new snapshot up at their next statement.
/// </summary>
internal sealed partial class RuntimeConfigManager : IRuntimeConfig
{
    private readonly BackendServerRegistry _servers;
    private readonly ILogger _logger;
    private readonly Lock _applyGate = new();
    private readonly QueryRuleSetOptions _ruleOptions;
    private RuntimeSnapshot _snapshot;

    public RuntimeConfigManager(BackendServerRegistry servers, ILogger<RuntimeConfigManager> logger)
    {
        _servers = servers;
        _logger = logger;
        _ruleOptions = QueryRuleSetOptions.Default with { Logger = logger };
        var defaults = ProxyConfig.Empty with { Variables = ProxyConfig.Empty.Variables.AddRange(VariableDefaults.All) };
        _snapshot = Build(defaults, MySqlVariables.Parse(defaults.Variables).Value!, AdminVariables.Parse(defaults.Variables).Value!, QueryRuleSet.Empty, FastRoutingTable.Empty, 0);
    }

    public RuntimeSnapshot Snapshot => Volatile.Read(ref _snapshot);

    public ProxyConfig Current => Snapshot.Config;

    /// <summary>Raised after a new snapshot is in place.</summary>
    public event Action<RuntimeSnapshot>? Changed;

    /// <summary>Raised after <see cref="UpdateServers"/> changed the servers (not after a LOAD): the cluster's runtime_mysql_servers checksum.</summary>
    public event Action<RuntimeSnapshot>? ServersUpdated;

    /// <summary>
    /// The last step before a valid candidate replaces the running snapshot (under the apply lock): given the running
    /// and the next snapshot, it may act on the change (open listeners for new interfaces) and returns an error to
    /// refuse it, the runtime staying as it was, or null to go ahead. Nothing can fail after it.
    /// </summary>
    public Func<RuntimeSnapshot, RuntimeSnapshot, string?>? BeforeSwap { get; set; }

    public RuntimeApplyResult Apply(ProxyConfig candidate)
    {
        // Variables not given keep ProxySQL's defaults, and the runtime shows them all, as global_variables does.
        candidate = candidate with { Variables = VariableDefaults.All.Aggregate(candidate.Variables,
            static (all, d) => all.ContainsKey(d.Key) ? all : all.Add(d.Key, d.Value)) };
        var forcedBySwitches = new List<string>();
        candidate = candidate with { Variables = ChecksumSwitches.Apply(candidate.Variables, forcedBySwitches) };
        var errors = Validate(candidate);
        var mysqlVariables = MySqlVariables.Parse(candidate.Variables);
        var adminVariables = AdminVariables.Parse(candidate.Variables);
        errors.AddRange(mysqlVariables.Errors);
        errors.AddRange(adminVariables.Errors);
        var rules = QueryRuleSet.Build(candidate.QueryRules, _ruleOptions);
        errors.AddRange(rules.Errors.Select(e => e.ToString()));
        var fastRouting = FastRoutingTable.Build(candidate.FastRouting);
        errors.AddRange(fastRouting.Errors);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
                LogRejected(error);
            return new RuntimeApplyResult([.. errors], []);
        }

        RuntimeSnapshot next;
        RuntimeSnapshot previous;
        string? refused;
        lock (_applyGate)
        {
            previous = _snapshot;
            // Rules compiled unchanged keep their hit counters; a LOAD of the same rules is not a reset.
            var ruleSet = candidate.QueryRules.SequenceEqual(previous.Config.QueryRules) ? previous.Rules : rules.RuleSet!;
            next = Build(candidate, mysqlVariables.Value!, adminVariables.Value!, ruleSet, fastRouting.Table!, previous.Version + 1);
            refused = BeforeSwap?.Invoke(previous, next);
            if (refused is null)
                Volatile.Write(ref _snapshot, next);
        }
        if (refused is not null)
        {
            LogRejected(refused);
            return new RuntimeApplyResult([refused], []);
        }
        RetireRemovedServers(previous, next);
        Changed?.Invoke(next);
        foreach (var warning in rules.Warnings)
            LogRuleWarning(warning.ToString());
        // Said when the users change, not on every LOAD of another module.
        var userWarnings = candidate.Users.SequenceEqual(previous.Config.Users) ? [] : UserRowValidation.Warnings(candidate.Users).ToList();
        foreach (var warning in userWarnings)
            LogUserWarning(warning);
        foreach (var warning in forcedBySwitches)
            LogChecksumSwitch(warning);
        return new RuntimeApplyResult([], [.. rules.Warnings.Select(w => w.ToString()), .. userWarnings, .. forcedBySwitches]);
    }

    /// <summary>
    /// Replaces the running server list with what <paramref name="change"/> makes of it (the monitor moving a server
    /// between writer and reader hostgroups, shunning or reviving one). Atomic against concurrent loads: the change is
    /// applied to whatever snapshot is current. Returns false (nothing changed) if the result is the same list.
    /// </summary>
    public bool UpdateServers(Func<ImmutableArray<ServerConfig>, ImmutableArray<ServerConfig>> change)
    {
        RuntimeSnapshot previous;
        RuntimeSnapshot next;
        lock (_applyGate)
        {
            previous = _snapshot;
            var servers = change(previous.Config.Servers);
            if (servers.SequenceEqual(previous.Config.Servers))
                return false;
            next = Build(previous.Config with { Servers = servers }, previous.Settings, previous.Admin, previous.Rules, previous.FastRouting,
                previous.Version + 1);
            Volatile.Write(ref _snapshot, next);
        }
        RetireRemovedServers(previous, next);
        Changed?.Invoke(next);
        ServersUpdated?.Invoke(next);
        return true;
    }

    private static List<string> Validate(ProxyConfig candidate)
    {
        var errors = new List<string>();
        var serverKeys = new HashSet<(int, string, int)>();
        foreach (var server in candidate.Servers)
        {
            if (string.IsNullOrWhiteSpace(server.Hostname))
                errors.Add($"mysql_servers (hostgroup_id={server.HostgroupId}): hostname is empty");
            if (server.Port is < 0 or > 65535)
                errors.Add($"mysql_servers ({server.HostgroupId}, '{server.Hostname}', {server.Port}): port out of range");
            if (!serverKeys.Add((server.HostgroupId, server.Hostname, server.Port)))
                errors.Add($"mysql_servers ({server.HostgroupId}, '{server.Hostname}', {server.Port}): duplicate server in one hostgroup");
        }
        var frontendNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in candidate.Users.Where(u => u.Frontend))
        {
            if (!frontendNames.Add(user.Username))
                errors.Add($"mysql_users ('{user.Username}'): duplicate frontend user");
        }
        errors.AddRange(UserRowValidation.Errors(candidate.Users));
        errors.AddRange(SchedulerRowValidation.Errors(candidate.Scheduler));
        errors.AddRange(RestapiRouteValidation.Errors(candidate.RestapiRoutes));
        return errors;
    }

    private RuntimeSnapshot Build(ProxyConfig config, MySqlVariables settings, AdminVariables admin, QueryRuleSet rules,
        FastRoutingTable fastRouting, long version)
    {
        var users = config.Users.Where(u => u.Frontend && u.Active)
            .GroupBy(u => u.Username, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var backendOnly = config.Users.Where(u => u.Backend && !u.Frontend && u.Active)
            .GroupBy(u => u.Username, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var hostgroups = config.Servers
            .GroupBy(s => s.HostgroupId)
            .ToFrozenDictionary(g => g.Key, g => new HostgroupSnapshot(g.Key,
                [.. g.Select(s => new HostgroupMember(_servers.Get(s.Hostname, s.Port), s))]));
        var readYourWritesUsers = Gtid.ReadYourWritesUsers.From(users.Values);
        return new RuntimeSnapshot
        {
            ReadYourWritesUsers = readYourWritesUsers,
            ReadYourWritesInUse = settings.ReadYourWrites || readYourWritesUsers.Values.Any(v => v)
                || config.QueryRules.Any(r => r.Active && r.GtidFromHostgroup is not null),
            Config = config,
            FrontendUsers = users,
            BackendOnlyUsers = backendOnly,
            Hostgroups = hostgroups,
            Settings = settings,
            Admin = admin,
            Rules = rules,
            FastRouting = fastRouting,
            Version = version,
        };
    }

    /// <summary>Servers gone from every hostgroup, or OFFLINE_HARD everywhere, lose their connections (ProxySQL's rule).</summary>
    private void RetireRemovedServers(RuntimeSnapshot previous, RuntimeSnapshot next)
    {
        var stillServing = next.Hostgroups.Values.SelectMany(h => h.Members)
            .Where(m => m.Config.Status != ServerStatus.OfflineHard)
            .Select(m => m.Server).ToHashSet();
        var retired = previous.Hostgroups.Values.SelectMany(h => h.Members).Select(m => m.Server)
            .Where(s => !stillServing.Contains(s)).Distinct().ToImmutableArray();
        foreach (var server in retired)
        {
            LogServerRetired(server);
            foreach (var connection in server.DrainAll())
                _ = connection.DisposeAsync().AsTask();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "query rules: {Warning}")]
    private partial void LogRuleWarning(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: {Warning}")]
    private partial void LogChecksumSwitch(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "users: {Warning}")]
    private partial void LogUserWarning(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration rejected, runtime unchanged: {Error}")]
    private partial void LogRejected(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "server {Server} left every hostgroup (or is OFFLINE_HARD): closing its connections")]
    private partial void LogServerRetired(BackendServer server);
}
