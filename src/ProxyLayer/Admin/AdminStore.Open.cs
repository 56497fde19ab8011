using ProxyLayer.Config;

namespace ProxyLayer.Admin;

internal sealed partial class AdminStore
{
    /// <summary>
    /// Opens the store in <paramref name="dataDirectory"/> with ProxySQL's start-up precedence (spec §3): an existing
    /// proxysql.db wins and the config file is ignored, unless <paramref name="initial"/> (rename the db to .bak and
    /// start from the file) or <paramref name="reload"/> (merge the file into the db). Without a db the file
    /// initialises it. The host then loads MEMORY into RUNTIME.
    /// </summary>
    public static AdminOpenResult Open(
        string dataDirectory,
        ConfigFileSource? configFile,
        bool initial,
        bool reload,
        IReadOnlyDictionary<string, string>? variableDefaults = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var databasePath = Path.Combine(dataDirectory, DatabaseFileName);
        var existed = File.Exists(databasePath);
        if (initial && existed)
        {
            File.Move(databasePath, databasePath + ".bak", overwrite: true);
            existed = false;
        }

        var store = Create(dataDirectory, databasePath, Path.Combine(dataDirectory, StatsDatabaseFileName), configFile);
        try
        {
            store.Initialise(variableDefaults ?? VariableDefaults.All);
            var (source, message) = store.ApplyPrecedence(dataDirectory, databasePath, existed, initial, reload);
            return new AdminOpenResult(store, source, message);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private (AdminStartupSource Source, string Message) ApplyPrecedence(
        string dataDirectory, string databasePath, bool existed, bool initial, bool reload)
    {
        // Step 4: disk → main, merging over the built-in variable values.
        InTransaction(connection =>
        {
            foreach (var module in ModuleDefinition.Every)
                LayerMover.CopyModule(connection, module, "disk.", "main.");
        });

        var useFile = initial || reload || !existed;
        if (useFile && ConfigFile is { } file)
        {
            var content = file.Read();
            InTransaction(connection =>
            {
                foreach (var module in ModuleDefinition.Every)
                    ModuleParts.Write(connection, "main.", module, content, merge: true);
                SaveAllToDisk(connection);
            });
            return initial
                ? (AdminStartupSource.ConfigFile,
                    $"--initial: moved {DatabaseFileName} aside to {DatabaseFileName}.bak in {dataDirectory} and initialised from {file.Path}")
                : reload && existed
                    ? (AdminStartupSource.DatabaseMergedWithConfigFile, $"--reload: merged {file.Path} into {databasePath}")
                    : (AdminStartupSource.ConfigFile, $"{DatabaseFileName} not found in {dataDirectory}: initialised it from {file.Path}");
        }

        if (!existed)
        {
            InTransaction(SaveAllToDisk);
            return (AdminStartupSource.Defaults,
                $"{DatabaseFileName} not found in {dataDirectory} and no config file: starting from built-in defaults");
        }

        return ConfigFile is { } ignored
            ? (AdminStartupSource.Database,
                $"{DatabaseFileName} exists in {dataDirectory}: using it and ignoring {ignored.Path}; " +
                "start with --initial to rebuild from the file or --reload to merge it")
            : (AdminStartupSource.Database, $"using {databasePath}");
    }

    private static void SaveAllToDisk(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        foreach (var module in ModuleDefinition.Every)
            LayerMover.CopyModule(connection, module, "main.", "disk.");
    }
}

/// <summary>Which layer the MEMORY layer was filled from at start-up.</summary>
internal enum AdminStartupSource
{
    /// <summary>No proxysql.db (or --initial): the config file, then saved to disk.</summary>
    ConfigFile,
    /// <summary>The existing proxysql.db; the config file, if any, was ignored.</summary>
    Database,
    /// <summary>--reload: the existing proxysql.db with the config file merged over it.</summary>
    DatabaseMergedWithConfigFile,
    /// <summary>Neither a proxysql.db nor a config file: built-in variable values only.</summary>
    Defaults,
}

/// <param name="Message">One sentence for the log saying which source was used and why.</param>
internal sealed record AdminOpenResult(AdminStore Store, AdminStartupSource Source, string Message);
