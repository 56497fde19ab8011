using System.Collections.Frozen;
using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// Maps a parsed <c>proxysql.cnf</c> onto <see cref="ConfigFile"/>. Errors (missing required keys, wrong types) throw
/// <see cref="ConfigFileException"/>; things ProxyLayer does not use become warnings, so a ProxySQL file still starts.
/// </summary>
public static partial class ConfigFileReader
{
    /// <summary>Sections ProxySQL reads that ProxyLayer does not implement yet; present means a warning, not an error.</summary>
    private static readonly FrozenSet<string> UnsupportedSections = FrozenSet.Create(
        StringComparer.Ordinal,
        "uuid", "restart_on_missing_heartbeats", "execute_on_exit_failure", "ldap_variables",
        "mysql_group_replication_hostgroups", "mysql_aws_aurora_hostgroups",
        "mysql_servers_ssl_params", "proxysql_servers", "sqliteserver_variables");

    public static ConfigFile Read(string path) => FromSettings(LibconfigParser.ParseFile(path), path);

    /// <summary>Reads config text; <paramref name="path"/> names it in messages.</summary>
    public static ConfigFile ReadText(string text, string path = "<text>") =>
        FromSettings(LibconfigParser.ParseText(text, path), path);

    public static ConfigFile FromSettings(ImmutableArray<LibconfigSetting> settings, string path)
    {
        var warnings = ImmutableArray.CreateBuilder<string>();
        var variables = ProxyConfig.Empty.Variables.ToBuilder();
        var config = ProxyConfig.Empty;
        string? datadir = null, errorlog = null, pidfile = null;
        var clusterSyncInterfaces = false;

        foreach (var setting in settings)
        {
            switch (setting.Name)
            {
                case "datadir": datadir = TopLevelString(setting); break;
                case "errorlog": errorlog = TopLevelString(setting); break;
                case "pidfile": pidfile = TopLevelString(setting); break;
                case "cluster_sync_interfaces":
                    // ProxySQL logs a value that is not a boolean and keeps false.
                    if (setting.Value.Kind == LibconfigValueKind.Boolean)
                        clusterSyncInterfaces = setting.Value.BooleanValue;
                    else
                        warnings.Add($"{setting.File}:{setting.Line}: 'cluster_sync_interfaces' must be true or false, found {setting.Value.KindName}; false is used");
                    break;
                case "admin_variables": ReadVariables(setting, "admin-", variables); break;
                case "mysql_variables": ReadVariables(setting, "mysql-", variables); break;
                case "mysql_servers": config = config with { Servers = ReadList(setting, warnings, ReadServer) }; break;
                case "mysql_users": config = config with { Users = ReadList(setting, warnings, ReadUser) }; break;
                case "mysql_query_rules": config = config with { QueryRules = ReadList(setting, warnings, ReadQueryRule) }; break;
                case "mysql_query_rules_fast_routing":
                    config = config with { FastRouting = ReadList(setting, warnings, ReadFastRouting) };
                    break;
                case "mysql_replication_hostgroups":
                    config = config with { ReplicationHostgroups = ReadList(setting, warnings, ReadReplicationHostgroup) };
                    break;
                case "scheduler": config = config with { Scheduler = ReadList(setting, warnings, ReadSchedulerJob) }; break;
                case "restapi": config = config with { RestapiRoutes = ReadList(setting, warnings, ReadRestapiRoute) }; break;
                case "mysql_galera_hostgroups":
                    config = config with { GaleraHostgroups = ReadList(setting, warnings, ReadGaleraHostgroup) };
                    break;
                default:
                    warnings.Add(UnsupportedSections.Contains(setting.Name)
                        ? $"{setting.File}:{setting.Line}: '{setting.Name}' is not supported by ProxyLayer; ignored"
                        : $"{setting.File}:{setting.Line}: unknown top-level setting '{setting.Name}' ignored");
                    break;
            }
        }

        return new ConfigFile
        {
            Path = path,
            Datadir = datadir,
            Errorlog = errorlog,
            Pidfile = pidfile,
            ClusterSyncInterfaces = clusterSyncInterfaces,
            Config = config with { Variables = variables.ToImmutable() },
            Warnings = warnings.ToImmutable(),
        };
    }

    private static string TopLevelString(LibconfigSetting setting) =>
        setting.Value.Kind == LibconfigValueKind.Text
            ? setting.Value.TextValue!
            : throw new ConfigFileException(setting.File, setting.Line, 0, $"'{setting.Name}' must be a string, found {setting.Value.KindName}");

    /// <summary>Variables are written without their module prefix (<c>threads=4</c> is <c>mysql-threads</c>) and kept as text.</summary>
    private static void ReadVariables(LibconfigSetting section, string prefix, ImmutableSortedDictionary<string, string>.Builder variables)
    {
        if (section.Value.Kind != LibconfigValueKind.Group)
            throw new ConfigFileException(section.File, section.Line, 0, $"'{section.Name}' must be a group {{ … }}, found {section.Value.KindName}");
        foreach (var variable in section.Value.Settings)
        {
            string text = variable.Value.ToScalarText()
                ?? throw new ConfigFileException(variable.File, variable.Line, 0, $"{section.Name}: '{variable.Name}' must be a single value, found {variable.Value.KindName}");
            variables[prefix + variable.Name] = text;
        }
    }

    private static ImmutableArray<T> ReadList<T>(LibconfigSetting section, ImmutableArray<string>.Builder warnings, Func<ConfigEntryReader, T> readEntry)
    {
        if (section.Value.Kind is not (LibconfigValueKind.List or LibconfigValueKind.Array))
            throw new ConfigFileException(section.File, section.Line, 0, $"'{section.Name}' must be a list ( {{ … }}, … ), found {section.Value.KindName}");
        var entries = ImmutableArray.CreateBuilder<T>(section.Value.Elements.Length);
        foreach (var element in section.Value.Elements)
        {
            var reader = new ConfigEntryReader(section.Name, section.File, element);
            entries.Add(readEntry(reader));
            warnings.AddRange(reader.UnknownKeyWarnings());
        }
        return entries.MoveToImmutable();
    }
}
