using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>Where the config file was found: a path, none (use built-in defaults), or an error for an unreadable <c>-c</c>.</summary>
public sealed record ConfigFileLocation(string? Path, string? Error)
{
    public static ConfigFileLocation None { get; } = new(null, null);
}

/// <summary>Finds the config file and the data directory with ProxySQL's precedence.</summary>
public static class ConfigFileLocator
{
    /// <summary>The places looked at when <c>-c</c> is not given, in order.</summary>
    public static ImmutableArray<string> DefaultSearchPaths { get; } =
        ["./proxysql.cnf", "./proxysql.cfg", "/etc/proxysql.cnf", "/etc/proxysql.cfg"];

    /// <summary>ProxySQL uses the working directory; ProxyLayer uses ./data so its files do not litter it.</summary>
    public const string DefaultDatadir = "./data";

    /// <summary>
    /// The <c>-c</c> file if given (it must be readable), else the first existing of <paramref name="searchPaths"/>
    /// (<see cref="DefaultSearchPaths"/> when null), else none.
    /// </summary>
    public static ConfigFileLocation Locate(string? explicitPath, IEnumerable<string>? searchPaths = null)
    {
        if (explicitPath is not null)
        {
            try
            {
                using var probe = File.OpenRead(explicitPath);
                return new ConfigFileLocation(explicitPath, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return new ConfigFileLocation(null, $"cannot read config file '{explicitPath}': {e.Message}");
            }
        }
        foreach (string candidate in searchPaths ?? DefaultSearchPaths)
        {
            if (File.Exists(candidate))
                return new ConfigFileLocation(candidate, null);
        }
        return ConfigFileLocation.None;
    }

    /// <summary><c>-D</c>, else the file's <c>datadir</c>, else <see cref="DefaultDatadir"/>.</summary>
    public static string ResolveDatadir(string? commandLineDatadir, string? fileDatadir) =>
        !string.IsNullOrEmpty(commandLineDatadir) ? commandLineDatadir
        : !string.IsNullOrEmpty(fileDatadir) ? fileDatadir
        : DefaultDatadir;
}
