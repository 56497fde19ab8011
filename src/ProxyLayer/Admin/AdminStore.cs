using Microsoft.Data.Sqlite;
using ProxyLayer.Admin.Guard;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// The admin database: one SQLite connection with <c>main</c> in memory (MEMORY layer and <c>runtime_*</c> mirrors),
/// <c>disk</c> attached from <c>proxysql.db</c>, <c>stats</c> and <c>monitor</c> in memory and <c>stats_history</c>
/// from <c>proxysql_stats.db</c>. Admin traffic is light, so one lock serialises all use of the connection.
/// </summary>
internal sealed partial class AdminStore : IDisposable
{
    public const string DatabaseFileName = "proxysql.db";
    public const string StatsDatabaseFileName = "proxysql_stats.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private AdminStore(SqliteConnection connection, string? dataDirectory, ConfigFileSource? configFile)
    {
        _connection = connection;
        Guard = UserSqlGuard.Install(connection);
        DataDirectory = dataDirectory;
        ConfigFile = configFile;
    }

    /// <summary>Null when the store is wholly in memory (tests, tools).</summary>
    public string? DataDirectory { get; }

    /// <summary>Judges the SQL an admin types (see <see cref="UserSqlGuard.ForUserStatement"/>); the proxy's own SQL is not judged.</summary>
    internal UserSqlGuard Guard { get; }

    /// <summary>The config file <c>LOAD … FROM CONFIG</c> reads; null when the proxy started without one.</summary>
    public ConfigFileSource? ConfigFile { get; }

    /// <summary>A store whose disk and stats_history are in memory too: nothing touches the file system.</summary>
    public static AdminStore OpenInMemory(ConfigFileSource? configFile = null, IReadOnlyDictionary<string, string>? variableDefaults = null)
    {
        var store = Create(null, ":memory:", ":memory:", configFile);
        store.Initialise(variableDefaults ?? VariableDefaults.All);
        return store;
    }

    /// <summary>Everything in the MEMORY or DISK layer as a config value (all rows, active or not).</summary>
    public ProxyConfig ReadConfig(AdminLayer layer)
    {
        var schema = layer == AdminLayer.Disk ? "disk." : "main.";
        return Run(connection =>
        {
            var config = ProxyConfig.Empty;
            foreach (var module in ModuleDefinition.Every)
                config = ModuleParts.ReadInto(connection, schema, module, config, activeRulesOnly: false);
            return config;
        });
    }

    /// <summary>Runs <paramref name="work"/> holding the store's lock. Re-entrant.</summary>
    internal T Run<T>(Func<SqliteConnection, T> work)
    {
        lock (_lock)
            return work(_connection);
    }


    /// <summary>Runs <paramref name="work"/> in a savepoint: all of it lands or none of it. Savepoints nest.</summary>
    internal T InTransaction<T>(Func<SqliteConnection, T> work) => Run(connection =>
    {
        Execute(connection, "SAVEPOINT admin_move");
        try
        {
            var result = work(connection);
            Execute(connection, "RELEASE admin_move");
            return result;
        }
        catch
        {
            Execute(connection, "ROLLBACK TO admin_move");
            Execute(connection, "RELEASE admin_move");
            throw;
        }
    });

    internal void InTransaction(Action<SqliteConnection> work) => InTransaction(connection =>
    {
        work(connection);
        return true;
    });

    internal static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// Copies the rows of one table between schemas. Replace-all deletes the target's rows first (table moves);
    /// otherwise rows with the same key are replaced (merges). Columns are named so older files still line up.
    /// </summary>
    internal static int CopyRows(SqliteConnection connection, string source, string target, bool replaceAll, string where = "")
    {
        var columns = string.Join(", ", ColumnNames(connection, target));
        if (replaceAll)
            Execute(connection, $"DELETE FROM {target} {where}");
        return Execute(connection, $"INSERT OR REPLACE INTO {target} ({columns}) SELECT {columns} FROM {source} {where}");
    }

    internal static List<string> ColumnNames(SqliteConnection connection, string qualifiedTable)
    {
        var dot = qualifiedTable.IndexOf('.', StringComparison.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {qualifiedTable[..dot]}.table_info({qualifiedTable[(dot + 1)..]})";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(1));
        return names;
    }

    public void Dispose()
    {
        lock (_lock)
            _connection.Dispose();
    }

    private static AdminStore Create(string? dataDirectory, string diskPath, string statsHistoryPath, ConfigFileSource? configFile)
    {
        // Pooling off: a pooled connection would keep proxysql.db open after Dispose (and block --initial's rename).
        var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        try
        {
            Attach(connection, diskPath, "disk");
            Attach(connection, ":memory:", "stats");
            Attach(connection, ":memory:", "monitor");
            Attach(connection, statsHistoryPath, "stats_history");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new AdminStore(connection, dataDirectory, configFile);
    }

    private static void Attach(SqliteConnection connection, string path, string schema)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"ATTACH DATABASE @path AS {schema}";
        command.Parameters.AddWithValue("@path", path);
        command.ExecuteNonQuery();
    }

    /// <summary>Creates missing tables and writes the built-in variable values into main (spec §3 step 4).</summary>
    private void Initialise(IReadOnlyDictionary<string, string> variableDefaults) => InTransaction(connection =>
    {
        AdminSchema.CreateAll(connection);
        VariableTable.Merge(connection, "main.global_variables", variableDefaults);
    });
}

internal enum AdminLayer
{
    Memory,
    Disk,
}

/// <summary>The config file the proxy started with. <see cref="Read"/> parses it anew (LOAD … FROM CONFIG re-reads it).</summary>
internal sealed record ConfigFileSource(string Path, Func<ProxyConfig> Read)
{
    /// <summary>Reads <paramref name="path"/> with <see cref="ConfigFileReader"/> each time it is asked.</summary>
    public static ConfigFileSource FromPath(string path) => new(path, () => ConfigFileReader.Read(path).Config);
}
